// Rate limits from the Workers Rate Limiting bindings ([[ratelimits]] in wrangler.toml), decided before
// any bcrypt work or query. Two kinds of key:
// - the client network (src/http/network.ts): the IPv4 address or the IPv6 /64 from CF-Connecting-IP,
//   which Cloudflare sets (X-Forwarded-For is client-controlled and ignored);
// - for signin, the account: a keyed hash (HMAC under a key derived from the secret) of the normalised
//   email, so the limiter never sees or stores an address, and rotating networks does not help;
// - for routes that act as a signed-in user, that user's id (from the verified access token, so after
//   requireUser and still before any query).
// The bindings count per Cloudflare location and are eventually consistent: a limit, not an exact quota.
import { createMiddleware } from 'hono/factory';
import type { Bindings } from '../bindings.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../env.ts';
import { keyedHash } from '../lib/keyed-hash.ts';
import { AppError } from './errors.ts';
import { clientIp, networkKey } from './network.ts';
import type { Problems } from './openapi.ts';

/** A rate-limited route (a missing binding is CONFIG_INVALID, which every route declares). */
export const RATE_LIMIT_PROBLEMS = { 429: ['RATE_LIMITED'] } as const satisfies Problems;

export const AUTH_RATE_LIMIT_PERIOD_SECONDS = 60;

type LimiterBinding =
  | 'AUTH_RATE_LIMITER'
  | 'REFRESH_RATE_LIMITER'
  | 'SIGNIN_ACCOUNT_RATE_LIMITER'
  | 'PASSWORD_ACCOUNT_RATE_LIMITER'
  | 'HEALTH_RATE_LIMITER'
  | 'TASK_WRITE_RATE_LIMITER';

// Limits that a developer's own page reloads and scripts would hit: in development (RATE_LIMITS=relaxed)
// they are counted by the binding of the same name with _RELAXED, declared only for local work.
const RELAXED_IN_DEVELOPMENT = new Set<LimiterBinding>([
  'AUTH_RATE_LIMITER',
  'SIGNIN_ACCOUNT_RATE_LIMITER',
  'PASSWORD_ACCOUNT_RATE_LIMITER',
]);

/** Counts one request against `key`; throws 429 RATE_LIMITED when over, 500 when the binding is missing. */
export async function consume(
  env: Bindings,
  config: Pick<Config, 'RATE_LIMITS'>,
  binding: LimiterBinding,
  key: string,
  message: string,
  retryAfterSeconds = AUTH_RATE_LIMIT_PERIOD_SECONDS,
): Promise<void> {
  const relaxed = config.RATE_LIMITS === 'relaxed' && RELAXED_IN_DEVELOPMENT.has(binding);
  const limiter = relaxed ? env[`${binding}_RELAXED` as `${typeof binding}_RELAXED` & keyof Bindings] : env[binding];
  if (!limiter) {
    // Without the binding there is no abuse protection: refuse rather than serve unprotected.
    throw new AppError('CONFIG_INVALID', 'The service is misconfigured and cannot serve requests');
  }
  const { success } = await limiter.limit({ key });
  if (!success) {
    throw new AppError('RATE_LIMITED', message, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}

/** Middleware: one request per client network against `binding`. */
export function limitPerNetwork(binding: LimiterBinding, prefix: string, what: string, retryAfterSeconds?: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = `${prefix}:${networkKey(clientIp(c.req))}`;
    const message = `Too many ${what} from this network; retry later`;
    await consume(c.env, c.get('config'), binding, key, message, retryAfterSeconds);
    await next();
  });
}

/**
 * Middleware for routes behind requireUser: one request per signed-in user against `binding`, whatever
 * the network. Declares only the `caller` it reads, so this module needs nothing of auth/.
 */
export function limitPerUser(binding: LimiterBinding, prefix: string, what: string) {
  return createMiddleware<{ Bindings: Bindings; Variables: AppEnv['Variables'] & { caller: { userId: string } } }>(
    async (c, next) => {
      const key = `${prefix}:${c.get('caller').userId}`;
      await consume(c.env, c.get('config'), binding, key, `Too many ${what} for this account; retry later`);
      await next();
    },
  );
}

/** 10 per 60 s per client network: signin, signup, password change, account deletion. */
export const limitAuthAttempts = limitPerNetwork('AUTH_RATE_LIMITER', 'auth', 'sign-in attempts');
/** 60 per 60 s per client network: refresh. */
export const limitRefreshAttempts = limitPerNetwork('REFRESH_RATE_LIMITER', 'refresh', 'refresh attempts');

/**
 * 10 per 60 s per user: the routes that check a signed-in user's password (password change, account
 * deletion) share it, so a stolen access token cannot be used to guess the password from many networks.
 */
export const limitPasswordChecksPerAccount = limitPerUser(
  'PASSWORD_ACCOUNT_RATE_LIMITER',
  'password',
  'password checks',
);

/** The signin limiter's key for an account: never the address itself. */
export function accountKey(normalizedEmail: string, config: Config): Promise<string> {
  return keyedHash(config.secretKey, 'rate-limit account v1', normalizedEmail).then((hash) => `account:${hash}`);
}

/** 10 signins per 60 s per account (normalised email), from wherever they come; before any bcrypt or query. */
export async function limitSigninPerAccount(env: Bindings, config: Config, normalizedEmail: string): Promise<void> {
  const key = await accountKey(normalizedEmail, config);
  const message = 'Too many sign-in attempts for this account; retry later';
  await consume(env, config, 'SIGNIN_ACCOUNT_RATE_LIMITER', key, message);
}

/**
 * 600 task writes (create, change, toggle, delete) per 60 s per user, whatever the network: a runaway
 * client or a stolen token cannot flood the database with writes. Reads are not counted.
 */
export const limitTaskWrites = limitPerUser('TASK_WRITE_RATE_LIMITER', 'tasks', 'task writes');
