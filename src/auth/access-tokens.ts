// Access tokens: HS256 JWTs signed with BETTER_AUTH_SECRET (jose), naming the user (`sub`) and the
// session (`sid`). Verification pins the algorithm, requires every claim, and allows at most 30 s of
// clock skew. Whether the session is still live is checked by the statement each route runs.
// Key rotation: a token signed with BETTER_AUTH_SECRET_PREVIOUS (when set) is accepted too; new tokens
// are always signed with the current secret. The HMAC keys are imported once per isolate, and a token
// that verified is remembered there (below).
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Caller, SessionCaller } from './caller.ts';
import { CLOCK_SKEW_SECONDS, rejectedToken } from './jwt.ts';
import { isUserId } from './user-id.ts';

/** The `iss` and `aud` of this API's own access tokens (TRUSTED_ISSUERS may not claim this issuer). */
export const TOKEN_ISSUER = 'task-api';
export const TOKEN_AUDIENCE = 'task-api';
const ALGORITHM = 'HS256';

/**
 * The part of the configuration that tokens use (the parsed Config has it). Named here rather than
 * imported, so that the configuration, which refuses TRUSTED_ISSUERS entries claiming TOKEN_ISSUER, and
 * this module do not import each other.
 */
export interface TokenSettings {
  secretKey: Uint8Array;
  previousSecretKey?: Uint8Array;
  ACCESS_TOKEN_TTL_SECONDS: number;
}

interface SigningKeys {
  current: CryptoKey;
  previous?: CryptoKey;
}

// Keyed by the parsed configuration object, made once per isolate (src/config.ts).
const importedKeys = new WeakMap<TokenSettings, Promise<SigningKeys>>();
let keyImports = 0;

/** How many times this isolate imported token keys (tests check: once per configuration, not per request). */
export function tokenKeyImports(): number {
  return keyImports;
}

function hmacKey(secret: Uint8Array, usages: ('sign' | 'verify')[]): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, usages);
}

function signingKeys(config: TokenSettings): Promise<SigningKeys> {
  let keys = importedKeys.get(config);
  if (!keys) {
    keyImports += 1;
    const previous = config.previousSecretKey;
    keys = Promise.all([
      hmacKey(config.secretKey, ['sign', 'verify']),
      previous ? hmacKey(previous, ['verify']) : undefined,
    ]).then(([current, old]) => (old ? { current, previous: old } : { current }));
    importedKeys.set(config, keys);
  }
  return keys;
}

export async function issueAccessToken(caller: Caller, config: TokenSettings): Promise<string> {
  return new SignJWT({ sid: caller.sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(caller.userId)
    .setIssuedAt()
    .setExpirationTime(`${config.ACCESS_TOKEN_TTL_SECONDS}s`)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .sign((await signingKeys(config)).current);
}

/**
 * The caller a token stands for; 'expired' for a genuine token past its `exp` (the app should refresh);
 * null for anything else. Never throws on bad input.
 */
export async function verifyAccessToken(token: string, config: TokenSettings): Promise<Caller | 'expired' | null> {
  const cache = verifiedTokensOf(config);
  const known = cache.get(token);
  if (known) {
    // jose's own test, on its whole-second clock: expired once exp <= now - skew.
    if (known.expiresAt > Math.floor(Date.now() / 1000) - CLOCK_SKEW_SECONDS) return known.caller;
    cache.delete(token);
    return 'expired';
  }
  const verified = await verifyWithJose(token, config);
  if (verified !== 'expired' && verified !== null) {
    if (cache.size >= MAX_VERIFIED_TOKENS) cache.delete(cache.keys().next().value as string);
    cache.set(token, verified);
    return verified.caller;
  }
  return verified;
}

// Tokens that verified in this isolate, by their exact text. A browser sends the same access token with
// every request until it expires, and verifying it again (parse, HMAC, claims) is the largest piece of
// JavaScript on an authenticated request's path. Only successes are kept, so junk tokens cannot fill it;
// `exp` is checked on every use, with the same skew as jose. Keyed by the parsed Config: a new secret comes with
// new bindings, so a new Config and an empty cache. Oldest first out when full.
const MAX_VERIFIED_TOKENS = 1000;
const verifiedTokens = new WeakMap<TokenSettings, Map<string, VerifiedToken>>();

interface VerifiedToken {
  caller: SessionCaller;
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
}

function verifiedTokensOf(config: TokenSettings): Map<string, VerifiedToken> {
  let cache = verifiedTokens.get(config);
  if (!cache) {
    cache = new Map();
    verifiedTokens.set(config, cache);
  }
  return cache;
}

async function verifyWithJose(token: string, config: TokenSettings): Promise<VerifiedToken | 'expired' | null> {
  try {
    const keys = await signingKeys(config);
    const verify = (key: CryptoKey) =>
      jwtVerify(token, key, {
        algorithms: [ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'sid', 'iat', 'exp', 'iss', 'aud'],
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
    let result: Awaited<ReturnType<typeof verify>>;
    try {
      result = await verify(keys.current);
    } catch (error) {
      // Only a signature that does not match the current key is worth a second try with the previous one.
      if (!(keys.previous && error instanceof errors.JWSSignatureVerificationFailed)) throw error;
      result = await verify(keys.previous);
    }
    const { payload } = result;
    // Both ids go into every statement's WHERE: they must be well-formed.
    const userId = typeof payload.sub === 'string' ? payload.sub.toLowerCase() : undefined;
    const sessionId = typeof payload.sid === 'string' ? payload.sid.toLowerCase() : undefined;
    if (!isUserId(userId) || !isUserId(sessionId) || typeof payload.exp !== 'number') return null;
    return { caller: { userId, sessionId }, expiresAt: payload.exp };
  } catch (error) {
    return rejectedToken(error);
  }
}
