// Hardening headers on every response, error responses included.
import type { Context } from 'hono';

const JSON_UTF8 = 'application/json; charset=utf-8';

export function hardenResponse(c: Context): void {
  const headers = c.res.headers;
  headers.set('X-Content-Type-Options', 'nosniff');
  // JSON with its charset stated, as the API promises (Hono's c.json() sends the bare media type).
  if (headers.get('Content-Type') === 'application/json') headers.set('Content-Type', JSON_UTF8);
  headers.set('Referrer-Policy', 'no-referrer');
  // Every API response is either per-user or carries a token, or is cheap to recompute: never cache.
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  // The scheme by its prefix: a request URL is absolute and normalised, and parsing it costs CPU per request.
  if (c.req.url.startsWith('https:')) {
    headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
  }
}
