// Opaque, tamper-evident keyset cursors: the (created_at, id) of the last task on a page, at full
// microsecond precision, with the order it belongs to, signed with an HMAC so that a forged or edited
// cursor is refused (the route answers 400) rather than a jump to an arbitrary position.

import { MAX_TASK_ID } from '../db/schema.ts';
import { sign, unsign } from '../lib/signed.ts';

export type ListOrder = 'asc' | 'desc';
export interface CursorPosition {
  createdAt: string; // as Postgres prints `timestamp`: 2026-02-04 10:11:12.345678
  id: number;
  order: ListOrder;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/;
// The cursor's own MAC key (HKDF label), so cursors can never be confused with tokens.
const LABEL = 'cursor v2';

export function encodeCursor(position: CursorPosition, secret: Uint8Array): Promise<string> {
  return sign(`${position.order}|${position.createdAt}|${position.id}`, LABEL, secret);
}

/** The position a cursor names, or null when it is not one this list issued (forged, edited, other order). */
export async function decodeCursor(
  cursor: string,
  order: ListOrder,
  secret: Uint8Array,
): Promise<CursorPosition | null> {
  const text = await unsign(cursor, LABEL, secret);
  if (text === null) return null;
  const [cursorOrder, createdAt, idText] = text.split('|');
  const id = Number(idText);
  // A cursor from a list in the other order would skip or repeat tasks: refuse it.
  if (cursorOrder !== order || !TIMESTAMP.test(createdAt) || !Number.isInteger(id) || id < 1 || id > MAX_TASK_ID) {
    return null;
  }
  return { createdAt, id, order };
}
