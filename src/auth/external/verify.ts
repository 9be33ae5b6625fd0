// Access tokens from a trusted external issuer (TRUSTED_ISSUERS): verified against the issuer's
// published keys (its JWKS, see issuer-keys.ts), kept per isolate. The issuer is the one the token's
// `iss` names; its `kid` must name one of that issuer's keys; its algorithms are pinned; `aud` must be
// exactly the audience (the string, or an array of that one string); `typ`, when present, must say an
// access token (JWT or at+jwt); `exp`/`iat`/`sub` are required, `iat` no later than now and `exp − iat`
// at most the issuer's maxTokenLifetimeSeconds, with 30 s of clock skew; `sub` must be text Postgres can
// store as it is. Keys that cannot be fetched are the issuer's outage: 503 with Retry-After, never a 401
// that would sign the user out.
import { base64url, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Config } from '../../config.ts';
import { toHex } from '../../lib/digest.ts';
import type { ExternalCaller } from '../caller.ts';
import { providerUnavailable } from '../errors.ts';
import { CLOCK_SKEW_SECONDS, rejectedToken } from '../jwt.ts';
import { toUserId, type UserId } from '../user-id.ts';
import { issuerKeySet, KeySetUnavailable } from './issuer-keys.ts';
import type { TrustedIssuer } from './trusted-issuers.ts';

const MAX_SUBJECT_LENGTH = 255;

// One cached key set per JWKS URL, for the life of the isolate (only configured URLs ever get here).
const keySets = new Map<string, JWTVerifyGetKey>();

function keysOf(issuer: TrustedIssuer): JWTVerifyGetKey {
  let keys = keySets.get(issuer.jwksUrl);
  if (!keys) {
    keys = issuerKeySet(issuer.jwksUrl);
    keySets.set(issuer.jwksUrl, keys);
  }
  return keys;
}

/** Retry-After for a key set that could not be fetched: until the failure is forgotten (issuer-keys.ts). */
function retryAfterSeconds(cause: KeySetUnavailable): number | undefined {
  return cause.retryAt === undefined ? undefined : Math.max(1, Math.ceil((cause.retryAt - Date.now()) / 1000));
}

/**
 * This API's user id for an external identity: derived from (issuer, subject), so the row can be
 * created by whichever statement first needs it, race-free (`on conflict do nothing`), without a lookup.
 * SHA-256 of both, as a version-8 (custom) UUID.
 */
export async function externalUserId(issuer: string, subject: string): Promise<UserId> {
  const input = new TextEncoder().encode(JSON.stringify([issuer, subject]));
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', input)).slice(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return toUserId(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
}

/**
 * One field of a token's header (part 0) or claims (part 1), unverified: only to decide how to verify,
 * never trusted before jwtVerify has checked the signature. Undefined when the part is not JSON.
 */
function unverifiedField(token: string, part: 0 | 1, field: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[part] ?? '')))?.[field];
  } catch {
    return undefined;
  }
}

/** The trusted issuer a token claims to come from (unverified `iss`), if any. */
export function claimedIssuer(token: string, config: Config): TrustedIssuer | undefined {
  if (config.TRUSTED_ISSUERS.length === 0) return undefined;
  const iss = unverifiedField(token, 1, 'iss');
  return config.TRUSTED_ISSUERS.find((entry) => entry.issuer === iss);
}

/**
 * `typ` absent, or an access token's: "JWT" or "at+jwt" (RFC 9068), any case, "application/" optional
 * (RFC 7515 §4.1.9). Anything else (an ID token's, a logout token's, DPoP proof's…) is another kind of
 * token signed by the same keys, not an access token for this API.
 */
function isAccessTokenType(typ: unknown): boolean {
  if (typ === undefined) return true;
  if (typeof typ !== 'string') return false;
  const type = typ.toLowerCase().replace(/^application\//, '');
  return type === 'jwt' || type === 'at+jwt';
}

/** `aud` is exactly `audience`: that string, or an array holding only it (not one audience among others). */
function isExactAudience(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === audience);
}

// Half of a surrogate pair, matched by UTF-16 code unit (no `u` flag).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text Postgres stores as it is: not U+0000 (text cannot hold it; the statement would fail, a 500) nor
 * a lone surrogate (stored as U+FFFD, the same text as another subject's).
 */
function isStorable(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/**
 * The caller an external token stands for; 'expired' for a genuine one past its `exp`; null for anything
 * else. Throws AUTH_PROVIDER_UNAVAILABLE (503) when the issuer's keys cannot be fetched.
 */
export async function verifyExternalToken(
  token: string,
  issuer: TrustedIssuer,
): Promise<ExternalCaller | 'expired' | null> {
  try {
    // The key must be named: without a `kid`, jose would try the issuer's keys of the right type in turn.
    if (typeof unverifiedField(token, 0, 'kid') !== 'string') return null;
    const { payload, protectedHeader } = await jwtVerify(token, keysOf(issuer), {
      algorithms: issuer.algorithms,
      issuer: issuer.issuer,
      audience: issuer.audience,
      requiredClaims: ['sub', 'iat', 'exp', 'iss', 'aud'],
      clockTolerance: CLOCK_SKEW_SECONDS,
    });
    // jose has checked the signature, `iss`, `exp` and that `aud` contains the audience; what it leaves
    // to the caller follows.
    if (!isAccessTokenType(protectedHeader.typ) || !isExactAudience(payload.aud, issuer.audience)) return null;
    const { iat, exp } = payload;
    if (typeof iat !== 'number' || typeof exp !== 'number') return null;
    if (iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) return null;
    if (exp - iat > issuer.maxTokenLifetimeSeconds) return null;
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) return null;
    if (!isStorable(subject)) return null;
    return {
      userId: await externalUserId(issuer.issuer, subject),
      external: { issuer: issuer.issuer, subject },
    };
  } catch (error) {
    if (error instanceof KeySetUnavailable) {
      throw providerUnavailable(issuer.issuer, error, retryAfterSeconds(error));
    }
    return rejectedToken(error);
  }
}
