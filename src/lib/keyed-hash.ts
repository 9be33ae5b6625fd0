// Keyed hashes (HMAC-SHA-256) under keys derived from BETTER_AUTH_SECRET with HKDF, one key per
// purpose (the label), so that a value hashed for one use (a rate-limit key, an audit line) can never
// be matched against another, and a list of candidate inputs cannot be hashed without the secret.
// Keys are derived once per isolate and secret.
import { toHex } from './digest.ts';

const encoder = new TextEncoder();
const derived = new WeakMap<Uint8Array, Map<string, Promise<CryptoKey>>>();

function purposeKey(secret: Uint8Array, label: string): Promise<CryptoKey> {
  let perSecret = derived.get(secret);
  if (!perSecret) {
    perSecret = new Map();
    derived.set(secret, perSecret);
  }
  let key = perSecret.get(label);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', secret, 'HKDF', false, ['deriveKey'])
      .then((master) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(`task-api ${label}`) },
          master,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign'],
        ),
      );
    perSecret.set(label, key);
  }
  return key;
}

/** HMAC-SHA-256 of `data` under the key for `label`. */
export async function keyedMac(secret: Uint8Array, label: string, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await purposeKey(secret, label), data));
}

/** HMAC-SHA-256 of `text` under the key for `label`, as the first `hexChars` lowercase hex digits. */
export async function keyedHash(secret: Uint8Array, label: string, text: string, hexChars = 32): Promise<string> {
  return toHex(await keyedMac(secret, label, encoder.encode(text))).slice(0, hexChars);
}
