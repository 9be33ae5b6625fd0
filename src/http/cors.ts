// CORS exactly as the contract says: origins in CORS_ORIGINS are echoed back exactly with
// `Vary: Origin`; any other origin (including `null`) gets no CORS headers at all, and its preflight
// still answers 204 without them. Never credentials: tokens travel in a header, not cookies.
// Not hono/cors: it sets Allow-Methods/Allow-Headers on every preflight, also for refused origins.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

export const CORS_ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
export const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-Match';
// WWW-Authenticate tells an app why a 401 happened; Idempotent-Replayed that a create was a replay.
export const CORS_EXPOSED_HEADERS = 'Location, X-Request-Id, Retry-After, ETag, WWW-Authenticate, Idempotent-Replayed';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

export const cors = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('Origin');
  const allowed = origin !== undefined && c.get('config').CORS_ORIGINS.includes(origin);
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
