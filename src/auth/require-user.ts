// Authenticated routes: `Authorization: Bearer <token>` (scheme case-insensitive). The token in a query
// string is never looked at. Sets `caller` (user and session) for the route's handler; anything else is
// 401, and a genuine but expired token is 401 TOKEN_EXPIRED (zero database work either way). A token
// whose `iss` is a trusted external issuer is verified against that issuer's keys, and only those.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { AppError } from '../http/errors.ts';
import { verifyAccessToken } from './access-tokens.ts';
import type { AsCaller, Caller, SessionCaller } from './caller.ts';
import { claimedIssuer, verifyExternalToken } from './external/verify.ts';

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

/**
 * The caller, for a route that acts on this API's own session, email or password (sign-out,
 * verification, password change, account deletion): a caller from an external issuer has none of them
 * here, which is 403 EXTERNAL_ACCOUNT, not a silent no-op.
 */
export function sessionCaller(caller: Caller, action: string): SessionCaller {
  if (!caller.external) return caller;
  throw new AppError(
    'EXTERNAL_ACCOUNT',
    `This account signs in at ${caller.external.issuer}, which manages it: ${action} there`,
  );
}

/**
 * A signed-in user's password re-check failed (password change, account deletion): 403, naming the
 * field. Not 401: the access token is good, and an app that signs out on 401 must not do it here.
 */
export function wrongPassword(field: 'currentPassword' | 'password'): AppError {
  const detail = field === 'currentPassword' ? 'The current password is incorrect' : 'The password is incorrect';
  return new AppError('INVALID_CREDENTIALS', detail, {
    status: 403,
    errors: [{ path: field, message: 'is incorrect' }],
  });
}

export const requireUser = createMiddleware<{
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & UserVariables;
}>(async (c, next) => {
  const header = c.req.header('Authorization');
  if (header === undefined) throw unauthenticated('Send an access token: Authorization: Bearer <token>', false);
  const token = header.length <= MAX_TOKEN_LENGTH ? header.match(BEARER)?.[1] : undefined;
  const config = c.get('config');
  const issuer = token ? claimedIssuer(token, config) : undefined;
  let caller: Caller | 'expired' | null = null;
  if (token) caller = issuer ? await verifyExternalToken(token, issuer) : await verifyAccessToken(token, config);
  if (caller === 'expired') {
    const renew = issuer ? `from ${issuer.issuer}` : 'from /api/auth/refresh';
    throw new AppError('TOKEN_EXPIRED', `The access token has expired; get a new one ${renew}`, {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"' },
    });
  }
  if (!caller) throw unauthenticated('The access token is missing, malformed or invalid', true);
  c.set('caller', caller);
  await next();
});
