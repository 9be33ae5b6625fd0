// One Durable Object per user (LIVE.idFromName(userId)) holds that user's live sockets, with the WebSocket
// Hibernation API: between events the object leaves memory and the sockets stay open. It cannot query
// Postgres cheaply, so it never does: what it knows comes from the Worker.
// - A connection arrives with a ticket the Worker verified; the object makes it single use (it remembers
//   each nonce until the ticket expires) and refuses tickets issued before an explicit end of their
//   session (a ticket taken just before a sign-out).
// - After each committed write the Worker posts the change, while the user may have a socket open (the
//   tickets move the user's live_until, which the write's statement reads); it goes to every socket.
// - An explicit end of sessions (sign-out, revocation, a replayed refresh token, the limit of live sessions,
//   password change or reset, account deletion) closes their sockets with 4401. A session that ends by time is found by the alarm:
//   each socket keeps its session's end as known when the ticket was issued (a later refresh moves the
//   idle end, so the client just reconnects with a fresh ticket), and the alarm is set for the earliest end.
import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../bindings.ts';
import { TICKET_SECONDS, type Ticket } from './ticket.ts';

/** What the Worker posts after a committed write: the task as written, or its deletion. */
export type LiveChange = { seq: number } & ({ task: unknown } | { deleted: { id: number } });

/** The close code of a socket whose session has ended (as HTTP 401: get a new session and a new ticket). */
export const SESSION_ENDED = 4401;

const TICKET_MS = TICKET_SECONDS * 1000;

// Storage (SQLite-backed, synchronous KV): `t:<nonce>` → the ticket's expiry (used); `e:<session id>` and
// `e:*` (every session) → when it ended explicitly, kept while tickets issued before then can be alive.
export class LiveTasks extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    // A client's keep-alive, answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** Accepts the socket of a verified ticket (sent as the X-Ticket header), or answers 401. */
  override async fetch(request: Request): Promise<Response> {
    const kv = this.ctx.storage.kv;
    const ticket = JSON.parse(request.headers.get('X-Ticket') ?? '{}') as Ticket;
    const endedAt = Math.max(kv.get<number>('e:*') ?? 0, kv.get<number>(`e:${ticket.sessionId}`) ?? 0);
    if (!ticket.nonce || kv.get(`t:${ticket.nonce}`) || ticket.issuedAt <= endedAt) {
      return new Response(null, { status: 401 });
    }
    kv.put(`t:${ticket.nonce}`, ticket.expiresAt);
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ticket.sessionId ? [ticket.sessionId] : []);
    server.serializeAttachment(ticket.sessionEndsAt);
    server.send('{"type":"ready"}');
    await this.schedule();
    return new Response(null, { status: 101, webSocket: client });
  }

  /** RPC: a committed change, for every socket of the user. */
  change(change: LiveChange): void {
    const message = JSON.stringify({ type: 'change', ...change });
    for (const socket of this.live()) socket.send(message);
  }

  /** RPC: the session (or, without an id, every session of the user) has ended: close its sockets. */
  async end(sessionId?: string): Promise<void> {
    this.ctx.storage.kv.put(`e:${sessionId ?? '*'}`, Date.now());
    for (const socket of this.ctx.getWebSockets(sessionId)) socket.close(SESSION_ENDED, 'session ended');
    await this.schedule();
  }

  override async alarm(): Promise<void> {
    this.live();
    const now = Date.now();
    for (const [key, until] of this.kept()) if (until <= now) this.ctx.storage.kv.delete(key);
    await this.schedule();
  }

  // Clients send nothing the object needs; a message does not keep anything alive.
  override webSocketMessage(): void {}

  override webSocketClose(socket: WebSocket, code: number): void {
    // Completes the closing handshake (1005 "no status" may not be sent back).
    socket.close(code === 1005 ? 1000 : code);
  }

  /** The sockets whose session has not reached its end; the others are closed now. */
  private live(): WebSocket[] {
    return this.ctx.getWebSockets().filter((socket) => {
      if ((socket.deserializeAttachment() as number) > Date.now()) return true;
      socket.close(SESSION_ENDED, 'session ended');
      return false;
    });
  }

  /** Stored entries with the time they can be forgotten. */
  private kept(): [string, number][] {
    return [...this.ctx.storage.kv.list<number>()].map(([key, at]) => [key, key[0] === 'e' ? at + TICKET_MS : at]);
  }

  /** The alarm at the next moment something ends: a socket's session or a stored entry. */
  private async schedule(): Promise<void> {
    const times = [
      ...this.ctx.getWebSockets().map((socket) => socket.deserializeAttachment() as number),
      ...this.kept().map(([, at]) => at),
    ];
    if (times.length > 0) await this.ctx.storage.setAlarm(Math.min(...times));
  }
}
