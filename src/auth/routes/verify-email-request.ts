// POST /api/auth/verify-email/request: emails the signed-in user a verification link (24 h).

import { deliverLater } from '../../email/deliver.ts';
import { verificationEmail } from '../../email/messages.ts';
import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitAuthAttempts, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { createVerificationToken, newEmailToken } from '../accounts/email-tokens.ts';
import { authenticatedRoute } from '../authenticated.ts';
import { sessionEnded } from '../errors.ts';
import { SESSION_CALLER_PROBLEMS, sessionCaller } from '../require-user.ts';
import { Accepted } from '../schemas.ts';

export const route = authenticatedRoute({
  method: 'post',
  path: '/api/auth/verify-email/request',
  operationId: 'requestEmailVerification',
  tags: ['Auth'],
  summary: 'Email a link that confirms the account\u2019s address',
  description: IGNORED_BODY_RULE,
  middleware: [limitAuthAttempts, ignoredBody, withDatabase] as const,
  responses: {
    202: {
      description:
        'Accepted. A verification link (valid 24 h) goes to the account\u2019s current address only if its previous verification email (signup\u2019s included) is at least 60 s old, at most 3 an hour; the answer is the same either way',
      content: { 'application/json': { schema: Accepted } },
    },
    ...problemResponses(RATE_LIMIT_PROBLEMS, IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS, SESSION_CALLER_PROBLEMS),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const caller = sessionCaller(c.get('caller'), 'verify the email address');
  const { token, hash } = await newEmailToken();
  // One statement: the token, only while the caller's session is live (else 401) and only if the
  // account is due another email (else nothing is sent, and the answer is the same).
  const issued = await createVerificationToken(c.get('db'), caller, hash);
  if (!issued) throw sessionEnded();
  if (issued.sendTo !== null) {
    deliverLater(c, 'verify_email', verificationEmail(issued.sendTo, c.get('config').APP_URL, token));
  }
  return c.json({}, 202);
};
