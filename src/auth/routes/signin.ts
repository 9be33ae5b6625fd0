import { createRoute } from '@hono/zod-openapi';
import type { AppRouteHandler } from '../../env.ts';
import { AppError } from '../../http/errors.ts';
import { jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import { auditAuth } from '../audit.ts';
import { verifyPassword } from '../passwords.ts';
import { limitAuthAttempts } from '../rate-limit.ts';
import { findUserWithHashByEmail } from '../repository.ts';
import { normalizeEmail, Session, SigninBody } from '../schemas.ts';
import { createSession } from '../session.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/signin',
  tags: ['Auth'],
  summary: 'Exchange email and password for a session',
  middleware: [limitAuthAttempts, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: SigninBody } } } },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: Session } } },
    ...problemResponses(400, 401, 413, 415, 429, 500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const body = c.req.valid('json');
  const email = normalizeEmail(body.email);
  const config = c.get('config');
  const user = await findUserWithHashByEmail(c.get('db'), email);
  // Exactly one bcrypt compare on every path (a dummy hash for unknown emails): an unknown email,
  // a wrong password and an over-long password look and take the same.
  const valid = await verifyPassword(body.password, user?.passwordHash, config.BCRYPT_COST);
  if (!user || !valid) {
    await auditAuth(c, 'signin', 'failure', user ? { userId: user.id } : { email });
    throw new AppError('INVALID_CREDENTIALS', 'The email or password is incorrect');
  }
  await auditAuth(c, 'signin', 'success', { userId: user.id });
  return c.json(await createSession(user, config), 200);
};
