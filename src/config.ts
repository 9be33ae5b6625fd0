// Deployment configuration, validated once per isolate. Anything wrong fails closed: every request
// gets 500 CONFIG_INVALID (naming the bad keys, never their values) instead of a half-working API.
import * as z from 'zod';
import { TrustedIssuers } from './auth/external/trusted-issuers.ts';
import type { Bindings } from './bindings.ts';
import { AppError } from './http/errors.ts';
import { logEvent } from './lib/log.ts';
import { isLoopbackHostPort } from './lib/loopback.ts';

const MIN_SECRET_BYTES = 32; // HS256 needs a key at least as long as its 256-bit output (RFC 7518 §3.2)
export const DEFAULT_BCRYPT_COST = 12;
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 24 * 3600;

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    (value) => (value === undefined || value === '' ? fallback : typeof value === 'string' ? Number(value) : value),
    z.number().int().min(min).max(max),
  );

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}, 'must be an origin such as https://app.example.com (scheme, host, optional port; no path or trailing slash)');

const isLocal = (config: { APP_ENV: string }) => config.APP_ENV === 'development' || config.APP_ENV === 'test';
// Only in development and test, where APP_URL and EMAIL_FROM may be left unset.
const LOCAL_APP_URL = 'http://127.0.0.1:5173';
const LOCAL_EMAIL_FROM = 'no-reply@task-api.localhost';

/** host:port of a local server the Worker sends plain HTTP to: loopback only. */
const loopbackHostPort = (example: string) =>
  z
    .string()
    .refine((value) => isLoopbackHostPort(value), `must be a loopback host:port such as ${example}`)
    .default(example);

const longEnough = (secret: string) => new TextEncoder().encode(secret).length >= MIN_SECRET_BYTES;

const ConfigSchema = z
  .object({
    APP_ENV: z.enum(['production', 'staging', 'development', 'test']).default('production'),
    BETTER_AUTH_SECRET: z.string({ error: 'is required' }).refine(longEnough, {
      error: `must be at least ${MIN_SECRET_BYTES} bytes`,
    }),
    // During a key rotation: the secret before it. Access tokens it signed are still accepted until
    // they expire; nothing new is ever signed with it. Unset (or empty) outside a rotation.
    BETTER_AUTH_SECRET_PREVIOUS: z
      .string()
      .optional()
      .transform((secret) => (secret === '' ? undefined : secret))
      .refine((secret) => secret === undefined || longEnough(secret), {
        error: `must be at least ${MIN_SECRET_BYTES} bytes when set`,
      }),
    DATABASE_URL: z
      .string({ error: 'is required' })
      .refine((url) => /^postgres(ql)?:\/\/[^/]+/.test(url), 'must be a postgres:// URL'),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .pipe(z.array(origin)),
    ACCESS_TOKEN_TTL_SECONDS: integer(1, MAX_ACCESS_TOKEN_TTL_SECONDS, 15 * 60),
    // A session ends after this long without a refresh, and at the latest SESSION_MAX_TTL_SECONDS after signin.
    SESSION_IDLE_TTL_SECONDS: integer(1, 365 * 24 * 3600, 7 * 24 * 3600),
    SESSION_MAX_TTL_SECONDS: integer(1, 365 * 24 * 3600, 30 * 24 * 3600),
    BCRYPT_COST: integer(4, 15, DEFAULT_BCRYPT_COST),
    // Which [[ratelimits]] bindings count the auth routes: 'strict' (the deployed limits) or 'relaxed' (the
    // *_RELAXED bindings of local development, high enough for a developer's reloads and scripts). Unset:
    // relaxed in development, strict everywhere else; relaxed is refused in production and staging.
    RATE_LIMITS: z.enum(['strict', 'relaxed']).optional(),
    // The most tasks one account may have; a create beyond it is 403 QUOTA_EXCEEDED.
    TASKS_PER_USER_MAX: integer(1, 10_000_000, 100_000),
    // host:port of the local SQL-over-HTTP endpoint (tools/local-platform/sql-over-http.ts) that the Worker's
    // queries go to for a local DATABASE_URL. Plain HTTP carrying the connection string: loopback only.
    LOCAL_DB_HTTP: loopbackHostPort('127.0.0.1:5489'),
    // The front end's origin; password-reset and verification links are `${APP_URL}/reset-password#token=…`.
    APP_URL: origin.optional(),
    EMAIL_FROM: z.email('must be an email address').optional(),
    // Unset: 'outbox' in development and test, 'binding' elsewhere.
    EMAIL_TRANSPORT: z.enum(['binding', 'outbox']).optional(),
    // External issuers whose access tokens are accepted too (JSON array; see auth/trusted-issuers.ts).
    TRUSTED_ISSUERS: TrustedIssuers,
    // host:port of the local outbox server (tools/local-platform/mail-outbox.ts): plain HTTP carrying whole
    // messages, links included, so loopback only.
    LOCAL_OUTBOX: loopbackHostPort('127.0.0.1:5490'),
  })
  .refine((config) => config.ACCESS_TOKEN_TTL_SECONDS >= 60 || config.APP_ENV === 'test', {
    path: ['ACCESS_TOKEN_TTL_SECONDS'],
    error: 'must be at least 60 outside APP_ENV=test',
  })
  .refine((config) => config.SESSION_IDLE_TTL_SECONDS <= config.SESSION_MAX_TTL_SECONDS, {
    path: ['SESSION_IDLE_TTL_SECONDS'],
    error: 'must not exceed SESSION_MAX_TTL_SECONDS',
  })
  .refine(
    (config) =>
      config.APP_ENV === 'development' ||
      config.APP_ENV === 'test' ||
      config.CORS_ORIGINS.every((entry) => entry.startsWith('https://')),
    // A plain-http origin can be impersonated by anyone on the network path: only for local work.
    { path: ['CORS_ORIGINS'], error: 'must list only https:// origins when APP_ENV is production or staging' },
  )
  .refine((config) => config.BCRYPT_COST >= DEFAULT_BCRYPT_COST || config.APP_ENV === 'test', {
    path: ['BCRYPT_COST'],
    error: `must be at least ${DEFAULT_BCRYPT_COST} outside APP_ENV=test`,
  })
  .refine((config) => isLocal(config) || config.APP_URL?.startsWith('https://'), {
    // Links carry tokens that reset passwords: never over plain http outside local work.
    path: ['APP_URL'],
    error: 'must be an https:// origin when APP_ENV is production or staging',
  })
  .refine((config) => isLocal(config) || config.EMAIL_FROM !== undefined, {
    path: ['EMAIL_FROM'],
    error: 'is required when APP_ENV is production or staging',
  })
  .refine((config) => isLocal(config) || config.RATE_LIMITS !== 'relaxed', {
    path: ['RATE_LIMITS'],
    error: 'must be strict when APP_ENV is production or staging',
  })
  .refine((config) => isLocal(config) || config.EMAIL_TRANSPORT !== 'outbox', {
    path: ['EMAIL_TRANSPORT'],
    error: 'must be binding when APP_ENV is production or staging (the outbox is a local server)',
  })
  .transform((config) => ({
    ...config,
    APP_URL: config.APP_URL ?? LOCAL_APP_URL,
    EMAIL_FROM: config.EMAIL_FROM ?? LOCAL_EMAIL_FROM,
    EMAIL_TRANSPORT: config.EMAIL_TRANSPORT ?? (isLocal(config) ? 'outbox' : 'binding'),
    RATE_LIMITS: config.RATE_LIMITS ?? (config.APP_ENV === 'development' ? 'relaxed' : 'strict'),
  }));

/** Every setting the Worker reads, by name (the object's keys, before the refinements and defaults). */
export const CONFIG_KEYS: readonly string[] = /* @__PURE__ */ Object.keys(ConfigSchema.in.shape);

export type Config = z.infer<typeof ConfigSchema> & {
  /** The secret as key bytes (signing keys and derived HMAC keys come from it). */
  secretKey: Uint8Array;
  /** BETTER_AUTH_SECRET_PREVIOUS as key bytes, during a rotation: verification only. */
  previousSecretKey?: Uint8Array;
};

// Keyed by the bindings object: the runtime hands every request of an isolate the same one.
const parsed = new WeakMap<object, Config | AppError>();

export function loadConfig(bindings: Bindings): Config {
  let result = parsed.get(bindings);
  if (!result) {
    result = parseConfig(bindings);
    parsed.set(bindings, result);
  }
  if (result instanceof AppError) throw result;
  return result;
}

/** Each broken setting as "KEY rule" (never its value), e.g. for a start-up check in `npm run dev`. */
export function configProblems(bindings: Partial<Record<keyof Bindings, unknown>>): string[] {
  const outcome = ConfigSchema.safeParse(bindings);
  return outcome.success ? [] : outcome.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
}

function parseConfig(bindings: Bindings): Config | AppError {
  const outcome = ConfigSchema.safeParse(bindings);
  if (!outcome.success) {
    const problems = configProblems(bindings);
    // Names the keys and the rule broken; a value is never logged (it may be a secret).
    logEvent('error', { event: 'config_invalid', problems });
    return new AppError('CONFIG_INVALID', 'The service is misconfigured and cannot serve requests');
  }
  const encoder = new TextEncoder();
  const previous = outcome.data.BETTER_AUTH_SECRET_PREVIOUS;
  return {
    ...outcome.data,
    secretKey: encoder.encode(outcome.data.BETTER_AUTH_SECRET),
    ...(previous ? { previousSecretKey: encoder.encode(previous) } : {}),
  };
}
