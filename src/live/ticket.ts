// Tickets for GET /api/tasks/live: a browser cannot set headers on a WebSocket, so an access token would
// have to travel in the URL, where it would live for minutes. A ticket is good for one connection within
// TICKET_SECONDS instead: it names the user, the session, when the session ends (the socket is closed
// then), a random nonce (the user's Durable Object refuses a nonce it has seen) and its expiry, signed
// with an HMAC under a key of its own (HKDF label), so it can be confused with no other token.
import { base64url } from 'jose';
import { sign, unsign } from '../lib/signed.ts';

export const TICKET_SECONDS = 30 as const;
const LABEL = 'live ticket v1';

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

export function issueTicket(
  secret: Uint8Array,
  owner: Pick<Ticket, 'userId' | 'sessionId' | 'sessionEndsAt'>,
  now = Date.now(),
): Promise<string> {
  const nonce = base64url.encode(crypto.getRandomValues(new Uint8Array(16)));
  const fields = [owner.userId, owner.sessionId, nonce, now, now + TICKET_SECONDS * 1000, owner.sessionEndsAt];
  return sign(fields.join('|'), LABEL, secret);
}

/** The ticket, if it is one this API signed and it has not expired; null otherwise. */
export async function readTicket(ticket: string | undefined, secret: Uint8Array, now = Date.now()) {
  const text = await unsign(ticket, LABEL, secret);
  if (text === null) return null;
  const [userId, sessionId, nonce, ...times] = text.split('|');
  const [issuedAt, expiresAt, sessionEndsAt] = times.map(Number);
  return expiresAt > now ? ({ userId, sessionId, nonce, issuedAt, expiresAt, sessionEndsAt } as Ticket) : null;
}
