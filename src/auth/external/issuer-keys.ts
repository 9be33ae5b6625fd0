// The public keys of a trusted external issuer, fetched from its JWKS URL and kept per isolate for as
// long as the issuer's Cache-Control max-age says (within 1–10 minutes). A token naming a key that is
// not in the set (the issuer rotated its keys) fetches the set again, at most once a minute, so a
// stream of forged `kid`s cannot make this API hammer the issuer. Key selection and import are jose's
// (createLocalJWKSet); only fetching and caching are here, because jose's remote set keeps keys for a
// fixed time whatever the issuer's cache headers say.
// What the issuer's server can cost us is bounded too: one fetch in flight per URL (every token that
// needs the set meanwhile waits for that one), a failed fetch remembered for 30 s (an outage is not
// met with a fetch per request), and at most 64 KiB of body read (a key set is a few KiB).
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

const MIN_KEYS_AGE_MS = 60_000;
const MAX_KEYS_AGE_MS = 10 * 60_000;
const FETCH_TIMEOUT_MS = 5_000;
const FAILURE_MEMORY_MS = 30_000;
export const MAX_KEY_SET_BYTES = 64 * 1024;

/** The key set could not be fetched or read: the issuer's outage, not a bad token. */
export class KeySetUnavailable extends Error {
  override name = 'KeySetUnavailable';
  /** When the set will be fetched again (Date.now() time), once this failure is remembered. */
  retryAt?: number;
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

/**
 * The body as text, read from the stream up to `limit` bytes: a longer one (announced by Content-Length
 * or found while reading) is cancelled there, never buffered whole.
 */
async function readCapped(response: Response, limit: number, jwksUrl: string): Promise<string> {
  const tooLarge = () => new KeySetUnavailable(`${jwksUrl} sent a key set over ${limit} bytes`);
  const declared = Number(response.headers.get('Content-Length') ?? Number.NaN);
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

async function fetchKeySet(jwksUrl: string): Promise<FetchedKeys> {
  let response: Response;
  try {
    response = await fetch(jwksUrl, {
      headers: { Accept: 'application/jwk-set+json, application/json' },
      redirect: 'manual', // the configured URL, not wherever it points
      // Bounds the body's reading too: a set trickled in slowly ends with the fetch.
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new KeySetUnavailable(`fetching ${jwksUrl} failed`, { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new KeySetUnavailable(`${jwksUrl} answered HTTP ${response.status}`);
  }
  let text: string;
  try {
    text = await readCapped(response, MAX_KEY_SET_BYTES, jwksUrl);
  } catch (cause) {
    if (cause instanceof KeySetUnavailable) throw cause;
    throw new KeySetUnavailable(`reading ${jwksUrl} failed`, { cause });
  }
  try {
    const keys = createLocalJWKSet(JSON.parse(text) as JSONWebKeySet);
    const fetchedAt = Date.now();
    return { keys, fetchedAt, staleAt: fetchedAt + maxAgeMs(response) };
  } catch (cause) {
    throw new KeySetUnavailable(`${jwksUrl} did not answer with a JWK set`, { cause });
  }
}

/** A jose key resolver for one issuer's JWKS; throws KeySetUnavailable when the set cannot be had. */
export function issuerKeySet(jwksUrl: string): JWTVerifyGetKey {
  let current: FetchedKeys | undefined;
  let inFlight: Promise<FetchedKeys> | undefined;
  let failure: { error: KeySetUnavailable; until: number } | undefined;

  /** The set fetched anew: the fetch already under way if there is one, the remembered failure if recent. */
  const refetch = (): Promise<FetchedKeys> => {
    if (failure && Date.now() < failure.until) return Promise.reject(failure.error);
    if (!inFlight) {
      inFlight = fetchKeySet(jwksUrl)
        .then(
          (fetched) => {
            current = fetched;
            failure = undefined;
            return fetched;
          },
          (error: unknown) => {
            const unavailable =
              error instanceof KeySetUnavailable ? error : new KeySetUnavailable(`${jwksUrl}: ${error}`);
            failure = { error: unavailable, until: Date.now() + FAILURE_MEMORY_MS };
            unavailable.retryAt = failure.until;
            throw unavailable;
          },
        )
        .finally(() => {
          inFlight = undefined;
        });
    }
    return inFlight;
  };

  return async (header, token) => {
    const used = current && Date.now() < current.staleAt ? current : await refetch();
    try {
      return await used.keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // A set under a minute old is not fetched again; a newer one than was used is tried.
      const latest = current && Date.now() - current.fetchedAt < MIN_KEYS_AGE_MS ? current : await refetch();
      if (latest === used) throw error;
      return latest.keys(header, token);
    }
  };
}
