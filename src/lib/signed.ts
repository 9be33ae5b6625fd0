// Tamper-evident text for values a client holds and hands back (list cursors, live tickets):
// `base64url(text).base64url(mac)`, the MAC being the first 16 bytes of HMAC-SHA-256 under a key of its
// own per label (keyed-hash.ts), so a value signed for one use is refused by every other.
import { base64url } from 'jose';
import { keyedMac } from './keyed-hash.ts';

const MAC_BYTES = 16;

async function mac(payload: Uint8Array, label: string, secret: Uint8Array): Promise<Uint8Array> {
  return (await keyedMac(secret, label, payload)).slice(0, MAC_BYTES);
}

export async function sign(text: string, label: string, secret: Uint8Array): Promise<string> {
  const payload = new TextEncoder().encode(text);
  return `${base64url.encode(payload)}.${base64url.encode(await mac(payload, label, secret))}`;
}

/** The text of a value `sign` made with this label and secret; null for anything else. */
export async function unsign(signed: string | undefined, label: string, secret: Uint8Array): Promise<string | null> {
  try {
    const [payloadPart, macPart, extra] = (signed ?? '').split('.');
    if (!payloadPart || !macPart || extra !== undefined) return null;
    const payload = base64url.decode(payloadPart);
    const given = base64url.decode(macPart);
    const expected = await mac(payload, label, secret);
    if (given.length !== expected.length || !crypto.subtle.timingSafeEqual(given, expected)) return null;
    return new TextDecoder().decode(payload);
  } catch {
    return null; // not base64url
  }
}
