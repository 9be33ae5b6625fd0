// Tickets for GET /api/tasks/live: a browser cannot set headers on a WebSocket, so an access token would
// have to travel in the URL, where it would live for minutes. A ticket is good for one connection within
// TICKET_SECONDS instead: it names the user, the session, when the session ends (the socket is closed
// then), a random nonce (the user's Durable Object refuses a nonce it has seen) and its expiry, signed
// with an HMAC under a key of its own (HKDF label), so it can be confused with no other token.
import { base64url } from 'jose';
import { keyedMac } from '../lib/keyed-hash.ts';

export const TICKET_SECONDS = 30 as const;

export interface Ticket {
  userId: string;
  /** The session it was issued to; '' for a user of an external issuer (no session here). */
  sessionId: string;
  nonce: string;
  /** Epoch milliseconds: when it was issued, when it stops being good, and when the session ends. */
  issuedAt: number;
  expiresAt: number;
  sessionEndsAt: number;
}

const encoder = new TextEncoder();

async function mac(payload: Uint8Array, secret: Uint8Array): Promise<Uint8Array> {
  return (await keyedMac(secret, 'live ticket v1', payload)).slice(0, 16);
}

export async function issueTicket(
  secret: Uint8Array,
  owner: Pick<Ticket, 'userId' | 'sessionId' | 'sessionEndsAt'>,
  now = Date.now(),
): Promise<string> {
  const nonce = base64url.encode(crypto.getRandomValues(new Uint8Array(16)));
  const payload = encoder.encode(
    [owner.userId, owner.sessionId, nonce, now, now + TICKET_SECONDS * 1000, owner.sessionEndsAt].join('|'),
  );
  return `${base64url.encode(payload)}.${base64url.encode(await mac(payload, secret))}`;
}

/** The ticket, if it is one this API signed and it has not expired; null otherwise. */
export async function readTicket(ticket: string | undefined, secret: Uint8Array, now = Date.now()) {
  try {
    const [payloadPart, macPart, extra] = (ticket ?? '').split('.');
    if (!payloadPart || !macPart || extra !== undefined) return null;
    const payload = base64url.decode(payloadPart);
    const given = base64url.decode(macPart);
    const expected = await mac(payload, secret);
    if (given.length !== expected.length || !crypto.subtle.timingSafeEqual(given, expected)) return null;
    const [userId, sessionId, nonce, ...times] = new TextDecoder().decode(payload).split('|');
    const [issuedAt, expiresAt, sessionEndsAt] = times.map(Number);
    return expiresAt > now ? ({ userId, sessionId, nonce, issuedAt, expiresAt, sessionEndsAt } as Ticket) : null;
  } catch {
    return null; // not base64url
  }
}
