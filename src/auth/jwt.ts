// What our own and external access tokens share: the clock skew they allow, and how a failed jose
// verification reads (a genuine token that ran out, or simply not a valid token).
import { errors } from 'jose';

/** Seconds of clock difference tolerated on `exp`, `nbf` and `iat`. */
export const CLOCK_SKEW_SECONDS = 30;

/**
 * 'expired' for a genuine token past its `exp` (jose checks the signature before the claims), null for
 * any other bad token; rethrows what is not about the token (a bug, an outage).
 */
export function rejectedToken(error: unknown): 'expired' | null {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JOSEError || error instanceof TypeError || error instanceof SyntaxError) return null;
  throw error;
}
