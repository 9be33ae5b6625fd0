import { createRoute } from '@hono/zod-openapi';
import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitAuthAttempts, limitSigninPerAccount, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { endLiveSessions } from '../../live/notify.ts';
import { hashCost, hashPassword, verifyPassword } from '../accounts/passwords.ts';
import { findUserWithHashByEmail } from '../accounts/repository.ts';
import { auditAuth } from '../audit.ts';
import { invalidCredentials } from '../errors.ts';
import { normalizeEmail, Session, SigninBody } from '../schemas.ts';
import { openSession } from '../sessions/repository.ts';
import { prepareSession, sessionResponse } from '../sessions/response.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/signin',
  operationId: 'signIn',
  security: [],
  tags: ['Auth'],
  summary: 'Exchange email and password for a session',
  middleware: [limitAuthAttempts, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: SigninBody } } } },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: Session } } },
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, { 401: ['INVALID_CREDENTIALS'] }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const body = c.req.valid('json');
  const email = normalizeEmail(body.email);
  const config = c.get('config');
  // Per account, after the per-network limit (route middleware) and before any query or bcrypt work.
  await limitSigninPerAccount(c.env, config, email);
  const db = c.get('db');
  const user = await findUserWithHashByEmail(db, email);
  // Exactly one bcrypt compare on every path (a dummy hash for unknown emails): an unknown email,
  // a wrong password and an over-long password look and take the same.
  const valid = await verifyPassword(body.password, user?.passwordHash, config.BCRYPT_COST);
  const { refreshToken, session } = await prepareSession(c, config);
  // A hash made at another cost than the configured one is replaced in the same statement (the
  // password is known to be right here); only successful signins pay for the new hash.
  const rehash =
    user && valid && hashCost(user.passwordHash) !== config.BCRYPT_COST
      ? await hashPassword(body.password, config.BCRYPT_COST)
      : undefined;
  // The session is opened only if the hash is still the one just verified (a concurrent password
  // change wins): the second and last statement.
  const opened = user && valid ? await openSession(db, user.id, user.passwordHash, session, rehash) : undefined;
  if (!user || !opened) {
    await auditAuth(c, 'signin', 'failure', user ? { userId: user.id } : { email });
    throw invalidCredentials('The email or password is incorrect');
  }
  await auditAuth(c, 'signin', 'success', { userId: user.id });
  // A session the limit of live sessions ended closes its live sockets, as a sign-out would.
  for (const sessionId of opened.endedSessionIds) endLiveSessions(c, user.id, sessionId);
  return c.json(await sessionResponse(opened, refreshToken, config), 200);
};
