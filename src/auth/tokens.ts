// Access tokens: HS256 JWTs signed with BETTER_AUTH_SECRET (jose). Verification pins the algorithm,
// requires every claim, and allows at most 30 s of clock skew.
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Config } from '../config.ts';
import { isUserId, type UserId } from './user-id.ts';

export const TOKEN_ISSUER = 'task-api';
export const TOKEN_AUDIENCE = 'task-api';
const ALGORITHM = 'HS256';
const CLOCK_SKEW_SECONDS = 30;

export async function issueAccessToken(userId: string, config: Config): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${config.ACCESS_TOKEN_TTL_SECONDS}s`)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .sign(config.secretKey);
}

/** The user id a valid token stands for, or null for anything else (never throws on bad input). */
export async function verifyAccessToken(token: string, config: Config): Promise<UserId | null> {
  try {
    const { payload } = await jwtVerify(token, config.secretKey, {
      algorithms: [ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'iat', 'exp', 'iss', 'aud'],
      clockTolerance: CLOCK_SKEW_SECONDS,
    });
    // The subject becomes the owner filter of every query: it must be a well-formed user id.
    const subject = typeof payload.sub === 'string' ? payload.sub.toLowerCase() : undefined;
    return isUserId(subject) ? subject : null;
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError || error instanceof SyntaxError) return null;
    throw error;
  }
}
