// Live task updates over a WebSocket (API.md, Live updates): real Durable Object, real sockets.
// With hibernation, local workerd delivers a close frame at once but closes the connection ~10 s later:
// tests wait for the close code, never for the connection to end.
import { describe, expect, it } from 'vitest';
import { issueTicket } from '../../../src/live/ticket.ts';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { api, apiWith, jsonRequest, queryDatabase } from '../support/api.ts';
import { bearer, freshIp, secretKey, signUp } from '../support/auth.ts';
import { refresh, refreshed } from '../support/sessions.ts';
import { type Client, newClient } from '../support/tasks.ts';

interface Socket {
  messages: Record<string, unknown>[];
  /** The next message not yet taken (waits up to 5 s). */
  next(): Promise<Record<string, unknown>>;
  /** Resolves with the close code once the server closes. */
  closed: Promise<number>;
  close(): void;
  send(text: string): void;
}

async function ticketFor(token: string): Promise<{ ticket: string; url: string; expiresIn: number }> {
  const response = await api('/api/tasks/live/ticket', { method: 'POST', headers: bearer(token) });
  expect(response.status).toBe(201);
  return (await response.json()) as { ticket: string; url: string; expiresIn: number };
}

function upgrade(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return api(url, { headers: { Upgrade: 'websocket', ...headers } });
}

async function open(url: string, headers: Record<string, string> = {}): Promise<Socket> {
  const response = await upgrade(url, headers);
  expect(response.status, response.status === 101 ? '' : await response.text()).toBe(101);
  const ws = response.webSocket as WebSocket;
  ws.accept();
  const messages: Record<string, unknown>[] = [];
  let taken = 0;
  let wake = () => {};
  ws.addEventListener('message', (event) => {
    const text = event.data as string;
    messages.push(text === 'pong' ? { pong: true } : JSON.parse(text));
    wake();
  });
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (event) => resolve(event.code)));
  return {
    messages,
    closed,
    close: () => ws.close(1000),
    send: (text) => ws.send(text),
    async next() {
      const deadline = Date.now() + 5000;
      while (messages.length <= taken) {
        if (Date.now() > deadline) throw new Error(`no message after ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return messages[taken++];
    },
  };
}

/** A socket of the client's session, past its `ready`. */
async function liveSocket(token: string): Promise<Socket> {
  const socket = await open((await ticketFor(token)).url);
  expect(await socket.next()).toEqual({ type: 'ready' });
  return socket;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)),
  ]);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('GET /api/tasks/live', () => {
  it('a ticket opens a socket that says ready; the ticket answer names the URL and 30 s', async () => {
    const client = await newClient();
    const ticket = await ticketFor(client.token);
    expect(ticket.expiresIn).toBe(30);
    expect(ticket.url).toBe(`/api/tasks/live?ticket=${ticket.ticket}`);
    const socket = await open(ticket.url);
    expect(await socket.next()).toEqual({ type: 'ready' });
    // A keep-alive is answered; anything else a client sends is ignored.
    socket.send('ping');
    expect(await socket.next()).toEqual({ pong: true });
    socket.send('{"type":"hello"}');
    await client.create();
    expect(await socket.next()).toMatchObject({ type: 'change', seq: 1 });
    socket.close();
  });

  it('a committed change reaches every socket of the user, in the form of the changes feed, and never another user', async () => {
    const client = await newClient();
    const other = await newClient();
    const [first, second, theirs] = [
      await liveSocket(client.token),
      await liveSocket(client.token),
      await liveSocket(other.token),
    ];
    const task = await client.create({ title: 'live' });
    const patched = (await (await client.request('PATCH', `/api/tasks/${task.id}`, { title: 'p' })).json()) as TaskDto;
    await client.request('DELETE', `/api/tasks/${task.id}`);
    // Each write's notification is its own call to the object: they may arrive in any order (the client
    // orders them by seq, see the gap test), so they are compared by seq.
    for (const socket of [first, second]) {
      const events = [await socket.next(), await socket.next(), await socket.next()];
      expect(events.sort((a, b) => (a.seq as number) - (b.seq as number))).toEqual([
        { type: 'change', seq: 1, task },
        { type: 'change', seq: 2, task: patched },
        { type: 'change', seq: 3, deleted: { id: task.id } },
      ]);
    }
    await settle();
    expect(theirs.messages).toEqual([{ type: 'ready' }]);
    // What a failed write takes no number for, it sends nothing either.
    expect((await client.request('PATCH', `/api/tasks/${task.id}`, { title: 'gone' })).status).toBe(404);
    await settle();
    expect(first.messages).toHaveLength(4);
    for (const socket of [first, second, theirs]) socket.close();
  });

  it('a ticket works once', async () => {
    const client = await newClient();
    const { url } = await ticketFor(client.token);
    const socket = await open(url);
    const again = await upgrade(url);
    expect(again.status).toBe(401);
    expect(again.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    expect(await again.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    socket.close();
  });

  it('only within 30 s, only as signed, only with its own key: otherwise 401', async () => {
    const client = await newClient();
    const owner = { userId: client.userId, sessionId: client.session.sessionId, sessionEndsAt: Date.now() + 3600_000 };
    const expired = await issueTicket(secretKey, owner, Date.now() - 31_000);
    const almost = await issueTicket(secretKey, owner, Date.now() - 25_000);
    const foreignKey = await issueTicket(new TextEncoder().encode('another-secret-of-at-least-32-bytes!!'), owner);
    // The same ticket with another user's id in it: its MAC no longer matches.
    const other = await newClient();
    const [payload, mac] = (await ticketFor(client.token)).ticket.split('.');
    const swapped = `${btoa(
      atob(payload.replaceAll('-', '+').replaceAll('_', '/')).replace(client.userId, other.userId),
    )
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '')}.${mac}`;
    for (const [name, query] of [
      ['missing', ''],
      ['garbage', '?ticket=abc'],
      ['expired', `?ticket=${expired}`],
      ['another key', `?ticket=${foreignKey}`],
      ['another user', `?ticket=${swapped}`],
      ['an access token', `?ticket=${client.token}`],
    ]) {
      const response = await upgrade(`/api/tasks/live${query}`);
      expect(response.status, name).toBe(401);
      expect(await response.json(), name).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    }
    const inTime = await open(`/api/tasks/live?ticket=${almost}`);
    expect(await inTime.next()).toEqual({ type: 'ready' });
    inTime.close();
  });

  it('426 without Upgrade: websocket; 403 for an Origin not in CORS_ORIGINS, before the ticket is looked at', async () => {
    const client = await newClient();
    const { url } = await ticketFor(client.token);
    const plain = await api(url);
    expect(plain.status).toBe(426);
    expect(await plain.json()).toMatchObject({ code: 'UPGRADE_REQUIRED', status: 426 });
    const foreign = await upgrade(url, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', status: 403 });
    // The ticket was not spent by the refused requests: from the app's origin it opens.
    const socket = await open(url, { Origin: 'http://app.test' });
    expect(await socket.next()).toEqual({ type: 'ready' });
    socket.close();
  });

  it('a ticket over 512 characters is 400 VALIDATION_FAILED, before anything else is looked at', async () => {
    const response = await upgrade(`/api/tasks/live?ticket=${'a'.repeat(513)}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'ticket' }] });
  });

  it('a ticket needs a live session: 401 after sign-out, and one issued before the sign-out is refused after it', async () => {
    const user = await signUp();
    const early = await ticketFor(user.token);
    expect((await api('/api/auth/signout', { method: 'POST', headers: bearer(user.token) })).status).toBe(204);
    const refused = await api('/api/tasks/live/ticket', { method: 'POST', headers: bearer(user.token) });
    expect(refused.status).toBe(401);
    // The sign-out reaches the user's object after its response: give it a moment.
    await settle();
    expect((await upgrade(early.url)).status).toBe(401);
  });
});

describe('sockets end with their session (close code 4401)', () => {
  async function secondSession(user: Awaited<ReturnType<typeof signUp>>) {
    const response = await api(
      '/api/auth/signin',
      jsonRequest({ email: user.email, password: user.password }, { headers: { 'CF-Connecting-IP': freshIp() } }),
    );
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  it("sign-out closes only that session's sockets; revoking a session closes its socket", async () => {
    const user = await signUp();
    const otherToken = await secondSession(user);
    const thirdToken = await secondSession(user);
    const [mine, other, third] = [
      await liveSocket(user.token),
      await liveSocket(otherToken),
      await liveSocket(thirdToken),
    ];
    expect((await api('/api/auth/signout', { method: 'POST', headers: bearer(user.token) })).status).toBe(204);
    expect(await within(mine.closed, 5000, 'the signed-out socket')).toBe(4401);
    // The other sessions' sockets are open: they still get changes.
    await api('/api/tasks', jsonRequest({ title: 'after sign-out' }, { headers: bearer(otherToken) }));
    expect(await other.next()).toMatchObject({ type: 'change', seq: 1 });
    expect(await third.next()).toMatchObject({ type: 'change', seq: 1 });
    const sessions = (await (await api('/api/auth/sessions', { headers: bearer(otherToken) })).json()) as {
      items: { id: string; current: boolean }[];
    };
    const thirdId = sessions.items.find((session) => !session.current)?.id as string;
    expect((await api(`/api/auth/sessions/${thirdId}`, { method: 'DELETE', headers: bearer(otherToken) })).status).toBe(
      204,
    );
    expect(await within(third.closed, 5000, 'the revoked socket')).toBe(4401);
    await settle();
    expect(other.messages.at(-1)).toMatchObject({ type: 'change' });
    other.close();
  });

  it('a password change closes every socket of the account', async () => {
    const user = await signUp();
    const otherToken = await secondSession(user);
    const sockets = [await liveSocket(user.token), await liveSocket(otherToken)];
    const change = await api(
      '/api/auth/password',
      jsonRequest(
        { currentPassword: user.password, newPassword: 'a brand new password' },
        { headers: { ...bearer(user.token), 'CF-Connecting-IP': freshIp() } },
      ),
    );
    expect(change.status).toBe(200);
    for (const socket of sockets) expect(await within(socket.closed, 5000, 'a socket')).toBe(4401);
  });

  it("a replayed refresh token ends its session: that session's sockets close, the others' stay", async () => {
    // The previous token after the 10 s window, and a token two rotations old (a thief refreshed twice):
    // the two ways refresh finds a replay (src/auth/sessions/repository.ts, rotateRefreshToken).
    const user = await signUp();
    const otherToken = await secondSession(user);
    const other = await liveSocket(otherToken);
    const next = await refreshed(user.refreshToken);
    const previous = await liveSocket(next.accessToken);
    await queryDatabase(`update sessions set rotated_at = now() - interval '11 seconds' where id = $1`, [
      user.sessionId,
    ]);
    expect((await refresh(user.refreshToken)).status).toBe(401);
    expect(await within(previous.closed, 5000, 'the socket of the replayed session')).toBe(4401);

    const thief = await signUp();
    const first = await refreshed(thief.refreshToken);
    const second = await refreshed(first.refreshToken);
    const retired = await liveSocket(second.accessToken);
    await queryDatabase(
      `update retired_refresh_tokens set retired_at = now() - interval '11 seconds' where session_id = $1`,
      [thief.sessionId],
    );
    expect((await refresh(thief.refreshToken)).status).toBe(401);
    expect(await within(retired.closed, 5000, 'the socket of the session of a retired token')).toBe(4401);

    await api('/api/tasks', jsonRequest({ title: 'after the replay' }, { headers: bearer(otherToken) }));
    expect(await other.next()).toMatchObject({ type: 'change', seq: 1 });
    other.close();
  });

  it("a session ended by the limit of live sessions closes its sockets; the others' stay", async () => {
    const user = await signUp();
    const oldest = await liveSocket(user.token);
    const otherToken = await secondSession(user);
    const other = await liveSocket(otherToken);
    // The account at the limit: 98 more sessions, used 1 to 98 minutes ago; signup's was last used a day ago.
    await queryDatabase(`update sessions set last_used_at = now() - interval '1 day' where id = $1`, [user.sessionId]);
    await queryDatabase(
      `insert into sessions (user_id, refresh_token_hash, idle_expires_at, expires_at, created_at, last_used_at)
       select $1, md5(random()::text) || md5(random()::text), now() + interval '1 day', now() + interval '2 days',
              now() - make_interval(mins => i), now() - make_interval(mins => i)
         from generate_series(1, 98) i`,
      [user.userId],
    );
    // The 101st session ends the least recently used one: signup's.
    await secondSession(user);
    expect(await within(oldest.closed, 5000, 'the socket of the session the limit ended')).toBe(4401);
    await api('/api/tasks', jsonRequest({ title: 'after the limit' }, { headers: bearer(otherToken) }));
    expect(await other.next()).toMatchObject({ type: 'change', seq: 1 });
    other.close();
  });

  it('a session that ends by time: the object closes its socket at the end the ticket carried (its alarm)', async () => {
    const client = await newClient();
    const ticket = await issueTicket(secretKey, {
      userId: client.userId,
      sessionId: client.session.sessionId,
      sessionEndsAt: Date.now() + 1500,
    });
    const socket = await open(`/api/tasks/live?ticket=${ticket}`);
    expect(await socket.next()).toEqual({ type: 'ready' });
    expect(await within(socket.closed, 6000, 'the socket of the ended session')).toBe(4401);
  });
});

describe('gaps', () => {
  async function write(client: Client, bindings: Parameters<typeof apiWith>[0] = {}) {
    const response = await apiWith(
      bindings,
      '/api/tasks',
      jsonRequest({ title: 'w' }, { headers: { ...bearer(client.token), 'CF-Connecting-IP': freshIp() } }),
    );
    expect(response.status).toBe(201);
    return (await response.json()) as TaskDto;
  }

  it('a dropped notification: the next event skips a number, and changes?since=last fills the gap', async () => {
    const client = await newClient();
    const socket = await liveSocket(client.token);
    // The client's rule: apply an event numbered last + 1; on a larger number, read the feed from last.
    const state = new Map<number, unknown>();
    let last = 0;
    let gapsFilled = 0;
    const apply = async (event: Record<string, unknown>) => {
      const seq = event.seq as number;
      if (seq <= last) return;
      if (seq === last + 1) {
        state.set((event.task as TaskDto).id, event.task);
        last = seq;
        return;
      }
      gapsFilled++;
      const page = (await (await client.request('GET', `/api/tasks/changes?since=${last}`)).json()) as {
        changes: { seq: number; task: TaskDto }[];
        cursor: number;
      };
      for (const change of page.changes) state.set(change.task.id, change.task);
      last = page.cursor;
    };

    await write(client);
    await apply(await socket.next());
    // This write's notification fails (no LIVE binding for its request): logged, the write stands.
    const dropped = await write(client, { LIVE: undefined });
    await write(client);
    const third = await socket.next();
    expect(third.seq).toBe(3);
    await apply(third);
    expect(gapsFilled).toBe(1);
    expect(state.has(dropped.id)).toBe(true);
    const rows = await queryDatabase<{ id: string }>('select id from tasks where user_id = $1', [client.userId]);
    expect([...state.keys()].sort()).toEqual(rows.map((row) => Number(row.id)).sort());
    expect(last).toBe(3);
    socket.close();
  });
});

describe('only a user who may have a socket open is told (live_until)', () => {
  /** The user's live_until in epoch ms (null: -infinity, never a ticket). */
  async function liveUntilMs(userId: string): Promise<number | null> {
    const [row] = await queryDatabase<{ ms: string | null }>(
      `select case when live_until = '-infinity' then null else (extract(epoch from live_until) * 1000)::bigint end as ms
         from user_change_counters where user_id = $1`,
      [userId],
    );
    return row.ms === null ? null : Number(row.ms);
  }

  it('writes of a user who never took a ticket leave live_until at -infinity; a ticket moves it to its session end plus a minute', async () => {
    const client = await newClient();
    await client.create();
    expect(await liveUntilMs(client.userId)).toBeNull();
    await ticketFor(client.token);
    const [session] = await queryDatabase<{ ends_ms: string }>(
      `select (extract(epoch from least(idle_expires_at, expires_at)) * 1000)::bigint as ends_ms from sessions where id = $1`,
      [client.session.sessionId],
    );
    expect(await liveUntilMs(client.userId)).toBe(Number(session.ends_ms) + 60_000);
    // Another ticket of the same session writes nothing (the row version stays), and none moves it back.
    const version = () =>
      queryDatabase<{ xmin: string }>('select xmin::text from user_change_counters where user_id = $1', [
        client.userId,
      ]);
    const before = await version();
    await ticketFor(client.token);
    expect(await version()).toEqual(before);
    await queryDatabase(`update user_change_counters set live_until = 'infinity' where user_id = $1`, [client.userId]);
    await ticketFor(client.token);
    const [kept] = await queryDatabase<{ infinite: boolean }>(
      `select live_until = 'infinity' as infinite from user_change_counters where user_id = $1`,
      [client.userId],
    );
    expect(kept.infinite).toBe(true);
  });

  it('a write after live_until has passed is not sent to the object; a new ticket brings the sending back', async () => {
    const client = await newClient();
    const socket = await liveSocket(client.token);
    // As if the session's end had passed while this socket stayed open.
    await queryDatabase(`update user_change_counters set live_until = now() - interval '1 second' where user_id = $1`, [
      client.userId,
    ]);
    await client.create({ title: 'nobody told' });
    await settle();
    expect(socket.messages).toEqual([{ type: 'ready' }]);
    await ticketFor(client.token);
    const told = await client.create({ title: 'told' });
    expect(await socket.next()).toEqual({ type: 'change', seq: 2, task: told });
    socket.close();
  });
});
