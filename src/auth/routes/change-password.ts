import type { AppRouteHandler } from '../../env.ts';
import { AppError } from '../../http/errors.ts';
import { jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import { auditAuth } from '../audit.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { limitAuthAttempts } from '../rate-limit.ts';
import { findUserWithHashById, replacePasswordHash } from '../repository.ts';
import { accountGone } from '../require-user.ts';
import { ChangePasswordBody, Session } from '../schemas.ts';
import { createSession } from '../session.ts';

export const route = authenticatedRoute({
  method: 'post',
  path: '/api/auth/password',
  tags: ['Auth'],
  summary: 'Change the password; returns a fresh session',
  middleware: [limitAuthAttempts, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ChangePasswordBody } } } },
  responses: {
    200: { description: 'Password changed', content: { 'application/json': { schema: Session } } },
    ...problemResponses(400, 413, 415, 429, 500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
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
