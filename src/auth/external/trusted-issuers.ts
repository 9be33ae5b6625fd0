// TRUSTED_ISSUERS: the external sign-in services (a Better Auth app's JWT plugin, Neon Auth) whose
// access tokens this API accepts besides its own. Validated with the rest of the configuration, so a
// bad entry stops the deployment (fail closed) instead of accepting or refusing tokens at random.
import * as z from 'zod';
import { LOOPBACK_HOSTS } from '../../lib/loopback.ts';
import { TOKEN_ISSUER } from '../access-tokens.ts';

// Asymmetric only: a token is checked against the issuer's published public key. HS* is never allowed
// here (the "key" would be public, RFC 8725 §3.1); `none` is not an algorithm jose accepts at all.
export const ASYMMETRIC_ALGORITHMS = [
  'EdDSA',
  'Ed25519',
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;

/** maxTokenLifetimeSeconds of an entry that sets none: a day. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

function isKeySetUrl(value: string): boolean {
  try {
    const url = new URL(value);
    // Keys fetched over plain http could be swapped by anyone on the path; loopback is local work.
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

const TrustedIssuer = z.strictObject({
  // Compared exactly with the token's `iss` (Better Auth: its base URL unless `jwt.issuer` is set).
  // Not this API's own `iss`: requireUser picks the external path by `iss`, so such an entry would take
  // every session token there, to be refused (everyone signed out) or judged by the wrong keys.
  issuer: z
    .string()
    .min(1)
    .max(512)
    .refine((issuer) => issuer !== TOKEN_ISSUER, `must not be "${TOKEN_ISSUER}", the issuer of this API's own tokens`),
  jwksUrl: z.string().refine(isKeySetUrl, 'must be an https:// URL (http:// only on loopback)'),
  // Compared exactly with the token's `aud`: a dedicated value, so tokens minted for another service
  // of the same issuer are not accepted here.
  audience: z.string().min(1).max(512),
  algorithms: z.array(z.enum(ASYMMETRIC_ALGORITHMS)).min(1),
  // The longest lifetime (exp − iat) a token of this issuer may claim. Access tokens live minutes; a
  // token minted to last far longer (a leaked long-lived one, or a mis-set issuer) is refused, since
  // nothing here can revoke it before its `exp`.
  maxTokenLifetimeSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS),
});
export type TrustedIssuer = z.infer<typeof TrustedIssuer>;

export const TrustedIssuers = z
  .string()
  .default('')
  .transform((text, context) => {
    if (text.trim() === '') return [];
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON array' });
      return z.NEVER;
    }
  })
  .pipe(z.array(TrustedIssuer))
  .refine((issuers) => new Set(issuers.map((entry) => entry.issuer)).size === issuers.length, {
    error: 'must name each issuer once',
  });
