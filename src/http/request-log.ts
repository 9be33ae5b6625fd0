// One structured line per request for Workers Logs: method, route pattern (never the raw URL, which
// could carry tokens or emails in a query), status, duration, request id and user id when known.
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { HonoEnv } from '../env.ts';
import { logEvent } from './log.ts';

export const requestLog = createMiddleware<HonoEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  const handler = matchedRoutes(c).findLast((route) => route.method !== 'ALL');
  logEvent('info', {
    event: 'request',
    method: c.req.method,
    route: handler?.path ?? null,
    status: c.res.status,
    durationMs: Date.now() - started,
    requestId: c.get('requestId'),
    ...(c.get('userId') ? { userId: c.get('userId') } : {}),
  });
});
