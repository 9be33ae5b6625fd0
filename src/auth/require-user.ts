// Authenticated routes: `Authorization: Bearer <token>` (scheme case-insensitive). The token in a query
// string is never looked at. Sets `userId` for the route's handler; anything else is 401.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { AppError } from '../http/errors.ts';
import { verifyAccessToken } from './tokens.ts';
import type { UserId } from './user-id.ts';

export interface UserVariables {
  /** The signed-in user: the access token's subject. */
  userId: UserId;
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i;
const MAX_TOKEN_LENGTH = 4096;

export function unauthenticated(detail: string, tokenSent: boolean): AppError {
  return new AppError('UNAUTHENTICATED', detail, {
    headers: { 'WWW-Authenticate': tokenSent ? 'Bearer error="invalid_token"' : 'Bearer realm="task-api"' },
  });
}

/** A valid token whose user has been deleted is no longer a credential. */
export function accountGone(): AppError {
  return unauthenticated('The account this token belongs to no longer exists', true);
}

export const requireUser = createMiddleware<{
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & UserVariables;
}>(async (c, next) => {
  const header = c.req.header('Authorization');
  if (header === undefined) throw unauthenticated('Send an access token: Authorization: Bearer <token>', false);
  const token = header.length <= MAX_TOKEN_LENGTH ? header.match(BEARER)?.[1] : undefined;
  const userId = token ? await verifyAccessToken(token, c.get('config')) : null;
  if (!userId) throw unauthenticated('The access token is missing, malformed, expired or invalid', true);
  c.set('userId', userId);
  await next();
});
