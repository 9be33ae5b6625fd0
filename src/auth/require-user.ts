// Authenticated routes: `Authorization: Bearer <token>` (scheme case-insensitive). The token in a query
// string is never looked at. Sets `caller` (user and session) for the route's handler; anything else is
// 401, and a genuine but expired token is 401 TOKEN_EXPIRED (zero database work either way).
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { AppError } from '../http/errors.ts';
import type { AsCaller, Caller } from './caller.ts';
import { verifyAccessToken } from './tokens.ts';

export interface UserVariables {
  /** The signed-in user and session, from the access token (the session's liveness is checked by SQL). */
  caller: Caller;
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i;
const MAX_TOKEN_LENGTH = 4096;

export function unauthenticated(detail: string, tokenSent: boolean): AppError {
  return new AppError('UNAUTHENTICATED', detail, {
    headers: { 'WWW-Authenticate': tokenSent ? 'Bearer error="invalid_token"' : 'Bearer realm="task-api"' },
  });
}

/** A valid token whose session has ended (signed out, revoked, expired) or whose account is gone. */
export function sessionEnded(): AppError {
  return unauthenticated('The session this token belongs to has ended; sign in again', true);
}

/** The value of a statement run as the caller; 401 when the caller's session turned out to be over. */
export function whileSessionLive<T>(result: AsCaller<T>): T {
  if (!result.sessionLive) throw sessionEnded();
  return result.value;
}

export const requireUser = createMiddleware<{
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & UserVariables;
}>(async (c, next) => {
  const header = c.req.header('Authorization');
  if (header === undefined) throw unauthenticated('Send an access token: Authorization: Bearer <token>', false);
  const token = header.length <= MAX_TOKEN_LENGTH ? header.match(BEARER)?.[1] : undefined;
  const caller = token ? await verifyAccessToken(token, c.get('config')) : null;
  if (caller === 'expired') {
    throw new AppError('TOKEN_EXPIRED', 'The access token has expired; get a new one from /api/auth/refresh', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"' },
    });
  }
  if (!caller) throw unauthenticated('The access token is missing, malformed or invalid', true);
  c.set('caller', caller);
  await next();
});
