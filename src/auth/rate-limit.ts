// At most 10 signin/signup attempts per client IP per 60 s (the AUTH_RATE_LIMITER binding in
// wrangler.toml), decided before any body parsing or bcrypt work. Keyed on CF-Connecting-IP, which
// Cloudflare sets; X-Forwarded-For is client-controlled and ignored.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { AppError } from '../http/errors.ts';

export const AUTH_RATE_LIMIT_PERIOD_SECONDS = 60;

export function clientIp(headers: { header(name: string): string | undefined }): string {
  return headers.header('CF-Connecting-IP') ?? 'unknown';
}

export const limitAuthAttempts = createMiddleware<AppEnv>(async (c, next) => {
  const limiter = c.env.AUTH_RATE_LIMITER;
  if (!limiter) {
    // Without the binding there is no brute-force protection: refuse rather than serve unprotected.
    throw new AppError('CONFIG_INVALID', 'The service is misconfigured and cannot serve requests');
  }
  const { success } = await limiter.limit({ key: `auth:${clientIp(c.req)}` });
  if (!success) {
    throw new AppError('RATE_LIMITED', 'Too many sign-in attempts from this address; retry later', {
      headers: { 'Retry-After': String(AUTH_RATE_LIMIT_PERIOD_SECONDS) },
    });
  }
  await next();
});
