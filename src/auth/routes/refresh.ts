// POST /api/auth/refresh: a new access token and a rotated refresh token for the same session.
import { createRoute } from '@hono/zod-openapi';
import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitRefreshAttempts, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { endLiveSessions } from '../../live/notify.ts';
import { auditAuth } from '../audit.ts';
import { refreshRefused } from '../errors.ts';
import { RefreshBody, Session } from '../schemas.ts';
import { refreshSession } from '../sessions/refresh.ts';
import { sessionResponse } from '../sessions/response.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/refresh',
  operationId: 'refreshSession',
  security: [],
  tags: ['Auth'],
  summary: 'Exchange a refresh token for new tokens of the same session (no access token needed)',
  description:
    'Each refresh token is good once. The same token sent again within 10 s of its use (two tabs racing) gets the same new refresh token; sent later, it is treated as stolen and the whole session ends. Refreshing moves the idle end of the session, never its absolute end.',
  middleware: [limitRefreshAttempts, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: RefreshBody } } } },
  responses: {
    200: { description: 'New tokens for the session', content: { 'application/json': { schema: Session } } },
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, { 401: ['UNAUTHENTICATED'] }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const config = c.get('config');
  const { refreshToken } = c.req.valid('json');
  const result = await refreshSession(c.get('db'), refreshToken, config);
  if (result.outcome === 'reused') {
    await auditAuth(c, 'refresh_token_reused', 'failure', {});
    // The session has ended as on sign-out: its live sockets close.
    endLiveSessions(c, result.userId, result.sessionId);
  }
  if (result.outcome !== 'refreshed') throw refreshRefused();
  return c.json(await sessionResponse(result.opened, result.refreshToken, config), 200);
};
