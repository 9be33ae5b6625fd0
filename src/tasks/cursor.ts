// Opaque, tamper-evident keyset cursors: the (created_at, id) of the last task on a page, at full
// microsecond precision, with the order it belongs to, signed with an HMAC so that a forged or edited
// cursor is refused (the route answers 400) rather than a jump to an arbitrary position.

import { base64url } from 'jose';
import { MAX_TASK_ID } from '../db/schema.ts';
import { keyedMac } from '../lib/keyed-hash.ts';

export type ListOrder = 'asc' | 'desc';
export interface CursorPosition {
  createdAt: string; // as Postgres prints `timestamp`: 2026-02-04 10:11:12.345678
  id: number;
  order: ListOrder;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/;
const encoder = new TextEncoder();
const MAC_BYTES = 16;

/** The cursor's MAC: a key of its own (HKDF label), so cursors can never be confused with tokens. */
async function cursorMac(payload: Uint8Array, secret: Uint8Array): Promise<Uint8Array> {
  return (await keyedMac(secret, 'cursor v2', payload)).slice(0, MAC_BYTES);
}

export async function encodeCursor(position: CursorPosition, secret: Uint8Array): Promise<string> {
  const payload = encoder.encode(`${position.order}|${position.createdAt}|${position.id}`);
  return `${base64url.encode(payload)}.${base64url.encode(await cursorMac(payload, secret))}`;
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
    const payload = base64url.decode(payloadPart);
    const mac = base64url.decode(macPart);
    const expected = await cursorMac(payload, secret);
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
