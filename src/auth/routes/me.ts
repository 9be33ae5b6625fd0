import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { HonoEnv } from '../../env.ts';
import { withDatabase } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { accountGone, requireUser } from '../require-user.ts';
import { UserEnvelope } from '../schemas.ts';
import { toUserDto } from '../session.ts';
import { findUserById } from '../users.repository.ts';

export const meRoute = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['Auth'],
  summary: 'The signed-in user',
  security: [{ bearerAuth: [] }],
  middleware: [requireUser, withDatabase] as const,
  responses: {
    200: { description: 'The user the token belongs to', content: { 'application/json': { schema: UserEnvelope } } },
    ...problemResponses(401, 500, 503),
  },
});

export const getMe: RouteHandler<typeof meRoute, HonoEnv> = async (c) => {
  const user = await findUserById(c.get('db'), c.get('userId'));
  // A valid token whose user was deleted is no longer a credential.
  if (!user) throw accountGone();
  return c.json({ user: toUserDto(user) }, 200);
};
