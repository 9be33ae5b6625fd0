import type { AppRouteHandler } from '../../env.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { findUserById } from '../repository.ts';
import { accountGone } from '../require-user.ts';
import { UserEnvelope } from '../schemas.ts';
import { toUserDto } from '../session.ts';

export const route = authenticatedRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['Auth'],
  summary: 'The signed-in user',
  middleware: [withDatabase] as const,
  responses: {
    200: { description: 'The user the token belongs to', content: { 'application/json': { schema: UserEnvelope } } },
    ...problemResponses(500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const user = await findUserById(c.get('db'), c.get('userId'));
  // A valid token whose user was deleted is no longer a credential.
  if (!user) throw accountGone();
  return c.json({ user: toUserDto(user) }, 200);
};
