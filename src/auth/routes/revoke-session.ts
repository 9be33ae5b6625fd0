// DELETE /api/auth/sessions/:id: end one session of the account (e.g. a lost device).

import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses, VALIDATION_PROBLEMS } from '../../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { endLiveSessions } from '../../live/notify.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { sessionNotFound } from '../errors.ts';
import { whileSessionLive } from '../require-user.ts';
import { SessionIdParams } from '../schemas.ts';
import { endSessionById } from '../sessions/repository.ts';

export const route = authenticatedRoute({
  method: 'delete',
  path: '/api/auth/sessions/{id}',
  operationId: 'revokeSession',
  tags: ['Auth'],
  summary: 'End one of your sessions; its tokens stop working at once',
  description: IGNORED_BODY_RULE,
  middleware: [ignoredBody, withDatabase] as const,
  request: { params: SessionIdParams },
  responses: {
    204: { description: 'The session has ended' },
    ...problemResponses(VALIDATION_PROBLEMS, IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS, { 404: ['NOT_FOUND'] }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { id } = c.req.valid('param');
  const ended = whileSessionLive(await endSessionById(c.get('db'), c.get('caller'), id));
  // Someone else's session and an unknown or already ended one look the same.
  if (!ended) throw sessionNotFound();
  endLiveSessions(c, c.get('caller').userId, id);
  return c.body(null, 204);
};
