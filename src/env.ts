// The one typed Hono environment: what the runtime binds, and what middleware sets per request.
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';

export interface Bindings {
  APP_ENV?: string;
  BETTER_AUTH_SECRET?: string;
  DATABASE_URL?: string;
  CORS_ORIGINS?: string;
  ACCESS_TOKEN_TTL_SECONDS?: string;
  BCRYPT_COST?: string;
  LOCAL_DB_PIPE?: string;
  LOCAL_DB_PIPELINE_CONNECT?: string;
  /** Workers Rate Limiting binding for signin/signup ([[ratelimits]] in wrangler.toml). */
  AUTH_RATE_LIMITER?: RateLimit;
}

export interface Variables {
  requestId: string;
  config: Config;
  db: Database;
  /** Set by requireUser: the token's subject, a UUID. */
  userId: string;
}

export interface HonoEnv {
  Bindings: Bindings;
  Variables: Variables;
}
