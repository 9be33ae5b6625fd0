import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitAuthAttempts, limitPasswordChecksPerAccount, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { endLiveSessions } from '../../live/notify.ts';
import { verifyPassword } from '../accounts/passwords.ts';
import { deleteUser, findCallerWithHash } from '../accounts/repository.ts';
import { auditAuth } from '../audit.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { sessionEnded, wrongPassword } from '../errors.ts';
import { SESSION_CALLER_PROBLEMS, sessionCaller, whileSessionLive } from '../require-user.ts';
import { DeleteAccountBody } from '../schemas.ts';

export const route = authenticatedRoute({
  method: 'delete',
  path: '/api/auth/me',
  operationId: 'deleteAccount',
  tags: ['Auth'],
  summary: 'Delete the account, all its tasks and sessions (password required)',
  // Per network, then per account (shared with the password change): both before any query or bcrypt.
  middleware: [limitAuthAttempts, limitPasswordChecksPerAccount, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: DeleteAccountBody } } } },
  responses: {
    204: { description: 'The user and all their tasks are gone' },
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, SESSION_CALLER_PROBLEMS, {
      403: ['INVALID_CREDENTIALS'],
    }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { password } = c.req.valid('json');
  const db = c.get('db');
  const caller = sessionCaller(c.get('caller'), 'delete the account');
  const user = await findCallerWithHash(db, caller);
  if (!user) throw sessionEnded();
  const verified = await verifyPassword(password, user.passwordHash, c.get('config').BCRYPT_COST);
  // The delete also requires the hash we verified, so a concurrent password change cannot be bypassed.
  // A session that ended meanwhile is 401 UNAUTHENTICATED, not a wrong password.
  if (!verified || !whileSessionLive(await deleteUser(db, caller, user.passwordHash))) {
    await auditAuth(c, 'account_delete', 'failure', { userId: caller.userId });
    throw wrongPassword('password');
  }
  await auditAuth(c, 'account_delete', 'success', { userId: caller.userId });
  endLiveSessions(c, caller.userId);
  return c.body(null, 204);
};
