// Rate limits from the Workers Rate Limiting bindings ([[ratelimits]] in wrangler.toml), decided before
// any body parsing, bcrypt work or query. Keyed on CF-Connecting-IP, which Cloudflare sets;
// X-Forwarded-For is client-controlled and ignored.
import { createMiddleware } from 'hono/factory';
import type { Bindings } from '../bindings.ts';
import type { AppEnv } from '../env.ts';
import { AppError } from '../http/errors.ts';

export const AUTH_RATE_LIMIT_PERIOD_SECONDS = 60;

export function clientIp(headers: { header(name: string): string | undefined }): string {
  return headers.header('CF-Connecting-IP') ?? 'unknown';
}

function limitPerClient(binding: 'AUTH_RATE_LIMITER' | 'REFRESH_RATE_LIMITER', prefix: string, what: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const limiter = (c.env as Bindings)[binding];
    if (!limiter) {
      // Without the binding there is no brute-force protection: refuse rather than serve unprotected.
      throw new AppError('CONFIG_INVALID', 'The service is misconfigured and cannot serve requests');
    }
    const { success } = await limiter.limit({ key: `${prefix}:${clientIp(c.req)}` });
    if (!success) {
      throw new AppError('RATE_LIMITED', `Too many ${what} from this address; retry later`, {
        headers: { 'Retry-After': String(AUTH_RATE_LIMIT_PERIOD_SECONDS) },
      });
    }
    await next();
  });
}

/** 10 per 60 s per client: signin, signup, password change, account deletion. */
export const limitAuthAttempts = limitPerClient('AUTH_RATE_LIMITER', 'auth', 'sign-in attempts');
/** 60 per 60 s per client: refresh. */
export const limitRefreshAttempts = limitPerClient('REFRESH_RATE_LIMITER', 'refresh', 'refresh attempts');
