// POST /api/auth/password-reset: asks for a reset link by email. The answer says nothing about the
// address: 202 {} at once, known or not. The one statement (a token only for an account due one) and the
// email run after the response, so neither the database's work (a write for a known address, none for
// an unknown one) nor delivery can show in the response time.
import { createRoute } from '@hono/zod-openapi';
import { sendLogged } from '../../email/deliver.ts';
import { passwordResetEmail } from '../../email/messages.ts';
import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitAuthAttempts, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { withDatabase } from '../../http/with-database.ts';
import { logEvent } from '../../lib/log.ts';
import { createPasswordResetToken, newEmailToken } from '../accounts/email-tokens.ts';
import { auditAuth } from '../audit.ts';
import { Accepted, PasswordResetBody } from '../schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/password-reset',
  operationId: 'requestPasswordReset',
  security: [],
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
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { email } = c.req.valid('json');
  const config = c.get('config');
  // A token is made for every request, so both paths do the same work before the one statement.
  const { token, hash } = await newEmailToken();
  const requestId = c.var.requestId;
  c.executionCtx.waitUntil(
    createPasswordResetToken(c.get('db'), email, hash).then(
      (sendTo) =>
        sendTo === undefined
          ? undefined
          : sendLogged(c, 'password_reset', passwordResetEmail(sendTo, config.APP_URL, token)),
      (error: unknown) =>
        // Nothing to tell the client (it already has its 202): the cause goes to the log.
        logEvent('error', {
          event: 'password_reset_failed',
          requestId,
          error: error instanceof Error ? error.name : 'unknown',
        }),
    ),
  );
  await auditAuth(c, 'password_reset_request', 'success', { email });
  return c.json({}, 202);
};
