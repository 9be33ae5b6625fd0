// The public keys of a trusted external issuer, fetched from its JWKS URL and kept per isolate for as
// long as the issuer's Cache-Control max-age says (within 1–10 minutes). A token naming a key that is
// not in the set (the issuer rotated its keys) fetches the set again, at most once a minute, so a
// stream of forged `kid`s cannot make this API hammer the issuer. Key selection and import are jose's
// (createLocalJWKSet); only fetching and caching are here, because jose's remote set keeps keys for a
// fixed time whatever the issuer's cache headers say.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

const MIN_KEYS_AGE_MS = 60_000;
const MAX_KEYS_AGE_MS = 10 * 60_000;
const FETCH_TIMEOUT_MS = 5_000;

/** The key set could not be fetched or read: the issuer's outage, not a bad token. */
export class KeySetUnavailable extends Error {
  override name = 'KeySetUnavailable';
}

function maxAgeMs(response: Response): number {
  const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(response.headers.get('Cache-Control') ?? '')?.[1];
  const ms = maxAge === undefined ? MAX_KEYS_AGE_MS : Number(maxAge) * 1000;
  return Math.min(MAX_KEYS_AGE_MS, Math.max(MIN_KEYS_AGE_MS, ms));
}

interface FetchedKeys {
  keys: JWTVerifyGetKey;
  fetchedAt: number;
  staleAt: number;
}

async function fetchKeySet(jwksUrl: string): Promise<FetchedKeys> {
  let response: Response;
  try {
    response = await fetch(jwksUrl, {
      headers: { Accept: 'application/jwk-set+json, application/json' },
      redirect: 'manual', // the configured URL, not wherever it points
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new KeySetUnavailable(`fetching ${jwksUrl} failed`, { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new KeySetUnavailable(`${jwksUrl} answered HTTP ${response.status}`);
  }
  try {
    const keys = createLocalJWKSet((await response.json()) as JSONWebKeySet);
    const fetchedAt = Date.now();
    return { keys, fetchedAt, staleAt: fetchedAt + maxAgeMs(response) };
  } catch (cause) {
    throw new KeySetUnavailable(`${jwksUrl} did not answer with a JWK set`, { cause });
  }
}

/** A jose key resolver for one issuer's JWKS; throws KeySetUnavailable when the set cannot be had. */
export function issuerKeySet(jwksUrl: string): JWTVerifyGetKey {
  let current: FetchedKeys | undefined;
  return async (header, token) => {
    if (!current || Date.now() >= current.staleAt) current = await fetchKeySet(jwksUrl);
    try {
      return await current.keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - current.fetchedAt < MIN_KEYS_AGE_MS) throw error;
      current = await fetchKeySet(jwksUrl);
      return current.keys(header, token);
    }
  };
}
