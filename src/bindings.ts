// What the Workers runtime binds: wrangler.toml [vars], secrets and the rate-limit binding. The values
// arrive unchecked; src/config.ts validates them into a Config.
export interface Bindings {
  APP_ENV?: string;
  BETTER_AUTH_SECRET?: string;
  /** The secret before the last rotation: access tokens signed with it are still accepted (never signed). */
  BETTER_AUTH_SECRET_PREVIOUS?: string;
  DATABASE_URL?: string;
  CORS_ORIGINS?: string;
  ACCESS_TOKEN_TTL_SECONDS?: string;
  SESSION_IDLE_TTL_SECONDS?: string;
  SESSION_MAX_TTL_SECONDS?: string;
  BCRYPT_COST?: string;
  /** The most tasks one account may have (default 100000). */
  TASKS_PER_USER_MAX?: string;
  LOCAL_DB_HTTP?: string;
  /** The front end's origin: links in emails point at it. */
  APP_URL?: string;
  /** The sender address of every email (on a domain onboarded to Cloudflare Email Service). */
  EMAIL_FROM?: string;
  /** 'binding' (Cloudflare Email Service) or 'outbox' (the local outbox server; development and tests). */
  EMAIL_TRANSPORT?: string;
  /** JSON array of external issuers whose access tokens are accepted: issuer, jwksUrl, audience, algorithms. */
  TRUSTED_ISSUERS?: string;
  /** host:port of the local outbox server (tools/local-platform/mail-outbox.ts), loopback only. */
  LOCAL_OUTBOX?: string;
  /** Cloudflare Email Service ([[env.*.send_email]] in wrangler.toml; not declared for local development). */
  EMAIL?: SendEmail;
  /** The Durable Object namespace of live task updates, one object per user (src/live/object.ts). */
  LIVE?: DurableObjectNamespace<import('./live/object.ts').LiveTasks>;
  /** Workers Rate Limiting binding for the password routes ([[ratelimits]] in wrangler.toml). */
  AUTH_RATE_LIMITER?: RateLimit;
  /** Workers Rate Limiting binding for POST /api/auth/refresh. */
  REFRESH_RATE_LIMITER?: RateLimit;
  /** Workers Rate Limiting binding for signin per account (keyed hash of the normalised email). */
  SIGNIN_ACCOUNT_RATE_LIMITER?: RateLimit;
  /**
   * Workers Rate Limiting binding for the routes that check a signed-in user's password (password
   * change, account deletion), per user id.
   */
  PASSWORD_ACCOUNT_RATE_LIMITER?: RateLimit;
  /** Workers Rate Limiting binding for GET /api/health per client network. */
  HEALTH_RATE_LIMITER?: RateLimit;
  /** Workers Rate Limiting binding for task writes (POST, PATCH, PUT, DELETE), per user id. */
  TASK_WRITE_RATE_LIMITER?: RateLimit;
  /** Local development only (RATE_LIMITS=relaxed): the auth limiters of the same name, raised. */
  AUTH_RATE_LIMITER_RELAXED?: RateLimit;
  SIGNIN_ACCOUNT_RATE_LIMITER_RELAXED?: RateLimit;
  PASSWORD_ACCOUNT_RATE_LIMITER_RELAXED?: RateLimit;
  /** 'strict' or 'relaxed' (see src/config.ts). */
  RATE_LIMITS?: string;
}
