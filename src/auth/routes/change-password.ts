import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { HonoEnv } from '../../env.ts';
import { withDatabase } from '../../http/context.ts';
import { AppError } from '../../http/errors.ts';
import { jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { auditAuth } from '../audit.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { limitAuthAttempts } from '../rate-limit.ts';
import { accountGone, requireUser } from '../require-user.ts';
import { ChangePasswordBody, Session } from '../schemas.ts';
import { createSession } from '../session.ts';
import { findUserWithHashById, replacePasswordHash } from '../users.repository.ts';

export const changePasswordRoute = createRoute({
  method: 'post',
  path: '/api/auth/password',
  tags: ['Auth'],
  summary: 'Change the password; returns a fresh session',
  security: [{ bearerAuth: [] }],
  middleware: [requireUser, limitAuthAttempts, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ChangePasswordBody } } } },
  responses: {
    200: { description: 'Password changed', content: { 'application/json': { schema: Session } } },
    ...problemResponses(400, 401, 413, 415, 429, 500, 503),
  },
});

export const changePassword: RouteHandler<typeof changePasswordRoute, HonoEnv> = async (c) => {
  const { currentPassword, newPassword } = c.req.valid('json');
  const config = c.get('config');
  const db = c.get('db');
  const userId = c.get('userId');
  const user = await findUserWithHashById(db, userId);
  if (!user) throw accountGone();
  if (!(await verifyPassword(currentPassword, user.passwordHash, config.BCRYPT_COST))) {
    await auditAuth(c, 'password_change', 'failure', { userId });
    throw new AppError('INVALID_CREDENTIALS', 'The current password is incorrect');
  }
  const updated = await replacePasswordHash(
    db,
    userId,
    user.passwordHash,
    await hashPassword(newPassword, config.BCRYPT_COST),
  );
  // Another change won the race since we verified: the password we checked is no longer current.
  if (!updated) throw new AppError('INVALID_CREDENTIALS', 'The current password is incorrect');
  await auditAuth(c, 'password_change', 'success', { userId });
  return c.json(await createSession(updated, config), 200);
};
