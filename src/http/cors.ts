// CORS exactly as the contract says: origins in CORS_ORIGINS are echoed back exactly with
// `Vary: Origin`; any other origin (including `null`) gets no CORS headers at all, and its preflight
// still answers 204 without them. Never credentials: tokens travel in a header, not cookies.
// Not hono/cors: it sets Allow-Methods/Allow-Headers on every preflight, also for refused origins.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { logEvent } from '../lib/log.ts';

export const CORS_ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
export const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-Match';
// WWW-Authenticate tells an app why a 401 happened; Idempotent-Replayed that a create was a replay.
export const CORS_EXPOSED_HEADERS = 'Location, X-Request-Id, Retry-After, ETag, WWW-Authenticate, Idempotent-Replayed';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

// Origins already reported by this isolate: a refused origin is one warning, not one per request.
const reported = new Set<string>();
const MAX_REPORTED = 100;

/**
 * A browser origin that CORS_ORIGINS does not list: the most common set-up mistake, so it is named in a
 * warning with the allowed list (origins are not secrets), once per origin per isolate.
 */
function reportRefused(origin: string, allowed: readonly string[]): void {
  if (reported.has(origin) || reported.size >= MAX_REPORTED) return;
  reported.add(origin);
  logEvent('warn', { event: 'cors_origin_refused', origin, allowedOrigins: allowed.join(',') });
}

export const cors = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('Origin');
  const origins = c.get('config').CORS_ORIGINS;
  const allowed = origin !== undefined && origins.includes(origin);
  if (origin !== undefined && !allowed) reportRefused(origin, origins);
  const isPreflight = c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method') !== undefined;

  if (isPreflight) {
    const headers = new Headers({ Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers' });
    if (allowed) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Allow-Methods', CORS_ALLOWED_METHODS);
      headers.set('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS);
      headers.set('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
      headers.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
    }
    return new Response(null, { status: 204, headers });
  }

  await next();
  // Responses differ by Origin, so caches must key on it whatever the outcome.
  c.res.headers.append('Vary', 'Origin');
  if (allowed) {
    c.res.headers.set('Access-Control-Allow-Origin', origin);
    c.res.headers.set('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
  }
});
