// Refresh tokens: 256 random bits, base64url, stored only as SHA-256 hashes. When a token is rotated,
// the new one is also stored sealed (AES-GCM) under a key derived from the token it replaces AND the
// server's secret: a tab that presents the replaced token within the reuse window gets the same new token
// back, while a copy of the database, even with a spent token, recovers nothing. The sealed copy is
// cleared once the window has passed (clearSealedTokens, hourly).
import { base64url } from 'jose';
import { sha256Hex } from '../../lib/digest.ts';
import { keyedMac } from '../../lib/keyed-hash.ts';

const TOKEN_BYTES = 32;
const IV_BYTES = 12;
const encoder = new TextEncoder();

export function newRefreshToken(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
}

export function hashRefreshToken(token: string): Promise<string> {
  return sha256Hex(token);
}

async function sealingKey(previousToken: string, secret: Uint8Array): Promise<CryptoKey> {
  const material = await keyedMac(secret, 'refresh seal v2', encoder.encode(previousToken));
  return crypto.subtle.importKey('raw', material, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** `next` encrypted so that only the server, given `previous`, can read it. */
export async function sealNextToken(next: string, previous: string, secret: Uint8Array): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await sealingKey(previous, secret);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(next));
  return `${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
}

/**
 * The token sealed under `previous` with one of `secrets` (the current one, and during a rotation the
 * previous one), or null when it does not open.
 */
export async function openNextToken(sealed: string, previous: string, secrets: Uint8Array[]): Promise<string | null> {
  const [iv, data] = sealed.split('.');
  for (const secret of secrets) {
    try {
      const opened = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: base64url.decode(iv) },
        await sealingKey(previous, secret),
        base64url.decode(data),
      );
      return new TextDecoder().decode(opened);
    } catch {
      // not this secret (or not a sealed token at all)
    }
  }
  return null;
}
