import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { findCaller } from '../accounts/repository.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { sessionEnded } from '../errors.ts';
import { UserEnvelope } from '../schemas.ts';
import { toUserDto } from '../sessions/response.ts';

export const route = authenticatedRoute({
  method: 'get',
  path: '/api/auth/me',
  operationId: 'getMe',
  tags: ['Auth'],
  summary: 'The signed-in user',
  description: IGNORED_BODY_RULE,
  middleware: [ignoredBody, withDatabase] as const,
  responses: {
    200: { description: 'The user the token belongs to', content: { 'application/json': { schema: UserEnvelope } } },
    ...problemResponses(IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  // One statement: the user, only while the token's session is live (else 401).
  const user = await findCaller(c.get('db'), c.get('caller'));
  if (!user) throw sessionEnded();
  return c.json({ user: toUserDto(user) }, 200);
};
