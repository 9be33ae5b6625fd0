// POST /api/auth/verify-email: the token from a verification email marks the address verified.
import { createRoute } from '@hono/zod-openapi';
import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { hashEmailToken, verifyEmailWithToken } from '../accounts/email-tokens.ts';
import { auditAuth } from '../audit.ts';
import { emailLinkInvalid } from '../errors.ts';
import { VerifyEmailBody } from '../schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/verify-email',
  operationId: 'verifyEmail',
  security: [],
  tags: ['Auth'],
  summary: 'Confirm the account\u2019s address with the token from a verification email',
  middleware: [jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: VerifyEmailBody } } } },
  responses: {
    204: { description: 'The address is verified; the token is used up' },
    ...problemResponses(JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, { 400: ['TOKEN_INVALID'] }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { token } = c.req.valid('json');
  const userId = await verifyEmailWithToken(c.get('db'), await hashEmailToken(token));
  if (!userId) throw emailLinkInvalid();
  await auditAuth(c, 'email_verified', 'success', { userId });
  return c.body(null, 204);
};
