// POST /api/auth/signout-all: every session of the account stops working at once.

import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { endLiveSessions } from '../../live/notify.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { sessionEnded } from '../errors.ts';
import { SESSION_CALLER_PROBLEMS, sessionCaller } from '../require-user.ts';
import { endAllSessions } from '../sessions/repository.ts';

export const route = authenticatedRoute({
  method: 'post',
  path: '/api/auth/signout-all',
  operationId: 'signOutAll',
  tags: ['Auth'],
  summary: 'Sign out everywhere: end every session of the account, this one included',
  description: IGNORED_BODY_RULE,
  middleware: [ignoredBody, withDatabase] as const,
  responses: {
    204: { description: 'Every session has ended' },
    ...problemResponses(IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS, SESSION_CALLER_PROBLEMS),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const caller = sessionCaller(c.get('caller'), 'sign out');
  if (!(await endAllSessions(c.get('db'), caller))) throw sessionEnded();
  endLiveSessions(c, caller.userId);
  return c.body(null, 204);
};
