// POST /api/auth/password-reset: asks for a reset link by email. The answer says nothing about the
// address: 202 {} after the same single statement, known or not; the email goes out after the response.
import { createRoute } from '@hono/zod-openapi';
import { deliverLater } from '../../email/deliver.ts';
import { passwordResetEmail } from '../../email/messages.ts';
import type { AppRouteHandler } from '../../env.ts';
import { jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import { auditAuth } from '../audit.ts';
import { createPasswordResetToken, newEmailToken } from '../email-tokens.ts';
import { limitAuthAttempts } from '../rate-limit.ts';
import { Accepted, PasswordResetBody } from '../schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/password-reset',
  tags: ['Auth'],
  summary: 'Email a password-reset link (the answer is the same whether or not the address has an account)',
  middleware: [limitAuthAttempts, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: PasswordResetBody } } } },
  responses: {
    202: {
      description:
        'Accepted. A link (valid 30 min) goes out only if the address has an account whose previous reset email is at least 60 s old, at most 3 an hour',
      content: { 'application/json': { schema: Accepted } },
    },
    ...problemResponses(400, 413, 415, 429, 500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { email } = c.req.valid('json');
  const config = c.get('config');
  // A token is made for every request, so both paths do the same work before the one statement.
  const { token, hash } = await newEmailToken();
  const sendTo = await createPasswordResetToken(c.get('db'), email, hash);
  if (sendTo !== undefined) deliverLater(c, 'password_reset', passwordResetEmail(sendTo, config.APP_URL, token));
  await auditAuth(c, 'password_reset_request', 'success', { email });
  return c.json({}, 202);
};
