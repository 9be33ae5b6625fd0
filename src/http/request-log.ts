// One structured line per request for Workers Logs: method, route pattern (never the raw URL, which
// could carry tokens or emails in a query), status, duration, request id and user id when known.
import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../env.ts';
import { logEvent } from '../lib/log.ts';

/**
 * The request's context as the log reads it: after every route, so the signed-in user is there only when
 * the route had requireUser. Only the shape it reads is named here (http/ sits below auth/ and imports
 * nothing from it).
 */
export type LoggedEnv = {
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & { caller?: { userId: string } };
};

export function logRequest(c: Context<LoggedEnv>, started: number): void {
  const handler = matchedRoutes(c).findLast((route) => route.method !== 'ALL');
  const userId = c.get('caller')?.userId;
  logEvent('info', {
    event: 'request',
    method: c.req.method,
    route: handler?.path ?? null,
    status: c.res.status,
    durationMs: Date.now() - started,
    requestId: c.get('requestId'),
    ...(c.get('clientRequestId') ? { clientRequestId: c.get('clientRequestId') } : {}),
    ...(userId ? { userId } : {}),
  });
}
