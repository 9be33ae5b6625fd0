import { createRoute } from '@hono/zod-openapi';
import { deliverLater } from '../../email/deliver.ts';
import { verificationEmail } from '../../email/messages.ts';
import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitAuthAttempts, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { newEmailToken } from '../accounts/email-tokens.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { auditAuth } from '../audit.ts';
import { emailTaken } from '../errors.ts';
import { Session, SignupBody } from '../schemas.ts';
import { signupWithSession } from '../sessions/repository.ts';
import { prepareSession, sessionResponse } from '../sessions/response.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/signup',
  operationId: 'signUp',
  security: [],
  tags: ['Auth'],
  summary: 'Create an account and get a session; a verification link is emailed to the address',
  middleware: [limitAuthAttempts, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: SignupBody } } } },
  responses: {
    201: { description: 'Account created', content: { 'application/json': { schema: Session } } },
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, { 409: ['EMAIL_TAKEN'] }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { email, password } = c.req.valid('json');
  const config = c.get('config');
  const passwordHash = await hashPassword(password, config.BCRYPT_COST);
  const { refreshToken, session } = await prepareSession(c, config);
  const verification = await newEmailToken();
  // One statement for the user, their first session and their verification token: the unique index on
  // lower(email) decides races, not a read-then-insert.
  const opened = await signupWithSession(c.get('db'), email, passwordHash, session, verification.hash);
  if (!opened) {
    await auditAuth(c, 'signup', 'failure', { email });
    throw emailTaken();
  }
  await auditAuth(c, 'signup', 'success', { userId: opened.user.id });
  deliverLater(c, 'verify_email', verificationEmail(email, config.APP_URL, verification.token));
  return c.json(await sessionResponse(opened, refreshToken, config), 201);
};
