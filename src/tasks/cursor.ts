// Opaque, tamper-evident keyset cursors: the (created_at, id) of the last task on a page, at full
// microsecond precision, with the order it belongs to, signed with an HMAC so that a forged or edited
// cursor is refused (the route answers 400) rather than a jump to an arbitrary position.

import { MAX_TASK_ID } from '../db/schema.ts';
import { fromBase64Url, toBase64Url } from '../lib/base64url.ts';

export type ListOrder = 'asc' | 'desc';
export interface CursorPosition {
  createdAt: string; // as Postgres prints `timestamp`: 2026-02-04 10:11:12.345678
  id: number;
  order: ListOrder;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/;
const encoder = new TextEncoder();
const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    // A key of its own, derived from the secret, so cursors can never be confused with tokens.
    const material = new Uint8Array([...encoder.encode('task-api cursor v1:'), ...secret]);
    key = crypto.subtle
      .digest('SHA-256', material)
      .then((digest) =>
        crypto.subtle.importKey('raw', digest, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
      );
    keys.set(secret, key);
  }
  return key;
}

export async function encodeCursor(position: CursorPosition, secret: Uint8Array): Promise<string> {
  const payload = encoder.encode(`${position.order}|${position.createdAt}|${position.id}`);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), payload));
  return `${toBase64Url(payload)}.${toBase64Url(mac.slice(0, 16))}`;
}

/** The position a cursor names, or null when it is not one this list issued (forged, edited, other order). */
export async function decodeCursor(
  cursor: string,
  order: ListOrder,
  secret: Uint8Array,
): Promise<CursorPosition | null> {
  try {
    const [payloadPart, macPart, extra] = cursor.split('.');
    if (!payloadPart || !macPart || extra !== undefined) return null;
    const payload = fromBase64Url(payloadPart);
    const mac = fromBase64Url(macPart);
    const expected = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), payload)).slice(0, 16);
    if (mac.length !== expected.length || !crypto.subtle.timingSafeEqual(mac, expected)) return null;
    const [cursorOrder, createdAt, idText] = new TextDecoder().decode(payload).split('|');
    const id = Number(idText);
    // A cursor from a list in the other order would skip or repeat tasks: refuse it.
    if (cursorOrder !== order || !TIMESTAMP.test(createdAt) || !Number.isInteger(id) || id < 1 || id > MAX_TASK_ID) {
      return null;
    }
    return { createdAt, id, order };
  } catch {
    return null; // not base64url
  }
}
