// GET /api/auth/sessions: the account's live sessions (never a token or a hash).
import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { whileSessionLive } from '../require-user.ts';
import { SessionList } from '../schemas.ts';
import { listSessions } from '../sessions/repository.ts';

export const route = authenticatedRoute({
  method: 'get',
  path: '/api/auth/sessions',
  operationId: 'listSessions',
  tags: ['Auth'],
  summary: 'Your live sessions, newest first',
  description: IGNORED_BODY_RULE,
  middleware: [ignoredBody, withDatabase] as const,
  responses: {
    200: { description: 'Live sessions', content: { 'application/json': { schema: SessionList } } },
    ...problemResponses(IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const caller = c.get('caller');
  const items = whileSessionLive(await listSessions(c.get('db'), caller)).map((session) => ({
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    expiresAt: session.endsAt.toISOString(),
    userAgent: session.userAgent,
    current: session.id === caller.sessionId,
  }));
  return c.json({ items }, 200);
};
