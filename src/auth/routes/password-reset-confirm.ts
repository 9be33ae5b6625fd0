// POST /api/auth/password-reset/confirm: the token from the email and a new password. One statement
// uses the token up, sets the new hash and revokes every session of the account.

import { createRoute } from '@hono/zod-openapi';
import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitAuthAttempts, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { endLiveSessions } from '../../live/notify.ts';
import { hashEmailToken, resetPasswordWithToken } from '../accounts/email-tokens.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { auditAuth } from '../audit.ts';
import { emailLinkInvalid } from '../errors.ts';
import { PasswordResetConfirmBody } from '../schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/password-reset/confirm',
  operationId: 'confirmPasswordReset',
  security: [],
  tags: ['Auth'],
  summary: 'Set a new password with the token from a reset email; every session of the account ends',
  // Limited like the other password routes: each request costs a bcrypt hash before the statement.
  middleware: [limitAuthAttempts, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: PasswordResetConfirmBody } } } },
  responses: {
    204: { description: 'Password changed, every session revoked, the token used up' },
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, { 400: ['TOKEN_INVALID'] }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { token, newPassword } = c.req.valid('json');
  const config = c.get('config');
  const newHash = await hashPassword(newPassword, config.BCRYPT_COST);
  const reset = await resetPasswordWithToken(c.get('db'), await hashEmailToken(token), newHash);
  if (!reset) {
    await auditAuth(c, 'password_reset', 'failure', {});
    throw emailLinkInvalid();
  }
  await auditAuth(c, 'password_reset', 'success', { userId: reset.userId });
  endLiveSessions(c, reset.userId);
  return c.body(null, 204);
};
