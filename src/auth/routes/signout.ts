// POST /api/auth/signout: this session's access and refresh tokens stop working at once.

import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { endLiveSessions } from '../../live/notify.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { sessionEnded } from '../errors.ts';
import { SESSION_CALLER_PROBLEMS, sessionCaller } from '../require-user.ts';
import { endSession } from '../sessions/repository.ts';

export const route = authenticatedRoute({
  method: 'post',
  path: '/api/auth/signout',
  operationId: 'signOut',
  tags: ['Auth'],
  summary: 'Sign out: end this session (its access and refresh tokens stop working at once)',
  description: IGNORED_BODY_RULE,
  middleware: [ignoredBody, withDatabase] as const,
  responses: {
    204: { description: 'The session has ended' },
    ...problemResponses(IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS, SESSION_CALLER_PROBLEMS),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const caller = sessionCaller(c.get('caller'), 'sign out');
  if (!(await endSession(c.get('db'), caller))) throw sessionEnded();
  endLiveSessions(c, caller.userId, caller.sessionId);
  return c.body(null, 204);
};
