// Access tokens: HS256 JWTs signed with BETTER_AUTH_SECRET (jose), naming the user (`sub`) and the
// session (`sid`). Verification pins the algorithm, requires every claim, and allows at most 30 s of
// clock skew. Whether the session is still live is checked by the statement each route runs.
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Config } from '../config.ts';
import type { Caller } from './caller.ts';
import { isUserId } from './user-id.ts';

export const TOKEN_ISSUER = 'task-api';
export const TOKEN_AUDIENCE = 'task-api';
const ALGORITHM = 'HS256';
const CLOCK_SKEW_SECONDS = 30;

export async function issueAccessToken(caller: Caller, config: Config): Promise<string> {
  return new SignJWT({ sid: caller.sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(caller.userId)
    .setIssuedAt()
    .setExpirationTime(`${config.ACCESS_TOKEN_TTL_SECONDS}s`)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .sign(config.secretKey);
}

/**
 * The caller a token stands for; 'expired' for a genuine token past its `exp` (the app should refresh);
 * null for anything else. Never throws on bad input.
 */
export async function verifyAccessToken(token: string, config: Config): Promise<Caller | 'expired' | null> {
  try {
    const { payload } = await jwtVerify(token, config.secretKey, {
      algorithms: [ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'sid', 'iat', 'exp', 'iss', 'aud'],
      clockTolerance: CLOCK_SKEW_SECONDS,
    });
    // Both ids go into every statement's WHERE: they must be well-formed.
    const userId = typeof payload.sub === 'string' ? payload.sub.toLowerCase() : undefined;
    const sessionId = typeof payload.sid === 'string' ? payload.sid.toLowerCase() : undefined;
    return isUserId(userId) && isUserId(sessionId) ? { userId, sessionId } : null;
  } catch (error) {
    // jose checks the signature before the claims: JWTExpired means a genuine token that ran out.
    if (error instanceof errors.JWTExpired) return 'expired';
    if (error instanceof errors.JOSEError || error instanceof TypeError || error instanceof SyntaxError) return null;
    throw error;
  }
}
