import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitAuthAttempts, limitPasswordChecksPerAccount, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { endLiveSessions } from '../../live/notify.ts';
import { hashPassword, verifyPassword } from '../accounts/passwords.ts';
import { findCallerWithHash } from '../accounts/repository.ts';
import { auditAuth } from '../audit.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { sessionEnded, wrongPassword } from '../errors.ts';
import { SESSION_CALLER_PROBLEMS, sessionCaller, whileSessionLive } from '../require-user.ts';
import { ChangePasswordBody, Session } from '../schemas.ts';
import { changePasswordAndRestart } from '../sessions/repository.ts';
import { prepareSession, sessionResponse } from '../sessions/response.ts';

export const route = authenticatedRoute({
  method: 'post',
  path: '/api/auth/password',
  operationId: 'changePassword',
  tags: ['Auth'],
  summary: 'Change the password: every session of the account ends, a new one is returned',
  // Per network, then per account (10 per 60 s per user, shared with account deletion): both before
  // any query or bcrypt.
  middleware: [limitAuthAttempts, limitPasswordChecksPerAccount, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ChangePasswordBody } } } },
  responses: {
    200: { description: 'Password changed', content: { 'application/json': { schema: Session } } },
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, SESSION_CALLER_PROBLEMS, {
      403: ['INVALID_CREDENTIALS'],
    }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { currentPassword, newPassword } = c.req.valid('json');
  const config = c.get('config');
  const db = c.get('db');
  const caller = sessionCaller(c.get('caller'), 'change the password');
  const user = await findCallerWithHash(db, caller);
  if (!user) throw sessionEnded();
  if (!(await verifyPassword(currentPassword, user.passwordHash, config.BCRYPT_COST))) {
    await auditAuth(c, 'password_change', 'failure', { userId: caller.userId });
    throw wrongPassword('currentPassword');
  }
  const newHash = await hashPassword(newPassword, config.BCRYPT_COST);
  const { refreshToken, session } = await prepareSession(c, config);
  const opened = whileSessionLive(await changePasswordAndRestart(db, caller, user.passwordHash, newHash, session));
  // Another change won the race since we verified: the password we checked is no longer current.
  if (!opened) throw wrongPassword('currentPassword');
  await auditAuth(c, 'password_change', 'success', { userId: caller.userId });
  endLiveSessions(c, caller.userId);
  return c.json(await sessionResponse(opened, refreshToken, config), 200);
};
