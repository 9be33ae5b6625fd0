// What every request gets, around everything else (error responses included): its request id, its log
// line and the hardening headers on its response. One middleware layer for the three, in the order they
// must run; each part stays in its own module.
import { createMiddleware } from 'hono/factory';
import { assignRequestId, showRequestId } from './request-id.ts';
import { type LoggedEnv, logRequest } from './request-log.ts';
import { hardenResponse } from './security-headers.ts';

export const everyRequest = createMiddleware<LoggedEnv>(async (c, next) => {
  const started = Date.now();
  assignRequestId(c);
  await next();
  hardenResponse(c);
  logRequest(c, started);
  showRequestId(c);
});
