// Refresh tokens: 256 random bits, base64url, stored only as SHA-256 hashes. When a token is rotated,
// the new one is also stored sealed (AES-GCM) under a key derived from the token it replaces: a tab that
// presents the replaced token within the reuse window gets the same new token back, and nobody who can
// only read the database can recover any token.
import { base64url } from 'jose';
import { sha256Hex } from '../../lib/digest.ts';

const TOKEN_BYTES = 32;
const IV_BYTES = 12;
const encoder = new TextEncoder();

export function newRefreshToken(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
}

export function hashRefreshToken(token: string): Promise<string> {
  return sha256Hex(token);
}

async function sealingKey(previousToken: string): Promise<CryptoKey> {
  const material = await crypto.subtle.digest('SHA-256', encoder.encode(`task-api refresh seal v1:${previousToken}`));
  return crypto.subtle.importKey('raw', material, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** `next` encrypted so that only a holder of `previous` can read it. */
export async function sealNextToken(next: string, previous: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await sealingKey(previous), encoder.encode(next));
  return `${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
}

/** The token sealed under `previous`, or null when it does not open with it. */
export async function openNextToken(sealed: string, previous: string): Promise<string | null> {
  try {
    const [iv, data] = sealed.split('.');
    const opened = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: base64url.decode(iv) },
      await sealingKey(previous),
      base64url.decode(data),
    );
    return new TextDecoder().decode(opened);
  } catch {
    return null;
  }
}
