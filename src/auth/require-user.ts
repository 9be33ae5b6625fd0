// Authenticated routes: `Authorization: Bearer <token>` (scheme case-insensitive). The token in a query
// string is never looked at. Sets `caller` (user and session) for the route's handler; anything else is
// 401, and a genuine but expired token is 401 TOKEN_EXPIRED (zero database work either way). A token
// whose `iss` is a trusted external issuer is verified against that issuer's keys, and only those.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import type { Problems } from '../http/openapi.ts';
import { verifyAccessToken } from './access-tokens.ts';
import type { AsCaller, Caller, SessionCaller } from './caller.ts';
import { externalAccount, sessionEnded, tokenExpired, unauthenticated } from './errors.ts';
import { claimedIssuer, verifyExternalToken } from './external/verify.ts';

export interface UserVariables {
  /** The signed-in user and session, from the access token (the session's liveness is checked by SQL). */
  caller: Caller;
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i;
const MAX_TOKEN_LENGTH = 4096;

/** The value of a statement run as the caller; 401 when the caller's session turned out to be over. */
export function whileSessionLive<T>(result: AsCaller<T>): T {
  if (!result.sessionLive) throw sessionEnded();
  return result.value;
}

/** A route that calls sessionCaller. */
export const SESSION_CALLER_PROBLEMS = { 403: ['EXTERNAL_ACCOUNT'] } as const satisfies Problems;

/**
 * The caller, for a route that acts on this API's own session, email or password (sign-out,
 * verification, password change, account deletion): a caller from an external issuer has none of them
 * here, which is 403 EXTERNAL_ACCOUNT, not a silent no-op.
 */
export function sessionCaller(caller: Caller, action: string): SessionCaller {
  if (!caller.external) return caller;
  throw externalAccount(caller.external.issuer, action);
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
    throw tokenExpired(issuer ? `from ${issuer.issuer}` : 'from /api/auth/refresh');
  }
  if (!caller) throw unauthenticated('The access token is missing, malformed or invalid', true);
  c.set('caller', caller);
  await next();
});
