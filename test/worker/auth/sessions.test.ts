// Sessions (SECURITY H41–H45): refresh rotation, racing tabs, theft detection, revocation on the very
// next request on every authenticated route, idle and absolute ends, TOKEN_EXPIRED, the sessions list.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hashRefreshToken, newRefreshToken, openNextToken } from '../../../src/auth/sessions/refresh-tokens.ts';
import { clearSealedTokens, deleteEndedSessions } from '../../../src/auth/sessions/repository.ts';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/db/client.ts';
import { api, countingStatements, jsonRequest, queryDatabase } from '../support/api.ts';
import { authPost, authPostWith, bearer, craftToken, freshIp, signUp, uniqueEmail } from '../support/auth.ts';
import { OPENAPI_DOCUMENT } from '../support/openapi-document.ts';
import { insideOneWindow } from '../support/rate-limit.ts';
import { expectDeadEverywhere, refresh, refreshed } from '../support/sessions.ts';
import { newClient } from '../support/tasks.ts';

const me = (token: string) => api('/api/auth/me', { headers: bearer(token) });

async function sessionRow(id: string) {
  const [row] = await queryDatabase<Record<string, unknown>>('select * from sessions where id = $1', [id]);
  return row;
}

/** The bytes a base64url string (no padding) decodes to; fails on any character outside the alphabet. */
function base64urlBytes(text: string): Uint8Array {
  expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
  const standard = text.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

const hex = (bytes: Uint8Array) => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');

describe('refresh', () => {
  it('rotates: same session, new access and refresh tokens; only a hash is stored', async () => {
    const user = await signUp();
    const next = await refreshed(user.refreshToken);
    expect(next.sessionId).toBe(user.sessionId);
    expect(next.user).toEqual(user.session.user);
    expect(next.refreshToken).not.toBe(user.refreshToken);
    expect((await me(next.accessToken)).status).toBe(200);
    expect((await refreshed(next.refreshToken)).sessionId).toBe(user.sessionId);
    const stored = JSON.stringify(await sessionRow(user.sessionId));
    expect(stored).not.toContain(user.refreshToken);
    expect(stored).not.toContain(next.refreshToken);
    expect(next.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
  });

  it('20 refreshes in a row: 21 distinct refresh tokens, each 32 bytes once base64url-decoded', async () => {
    // 256 random bits per token: a repeat, or a shorter token, would make refresh tokens guessable.
    const user = await signUp();
    const tokens = [user.refreshToken];
    for (let i = 0; i < 20; i++) tokens.push((await refreshed(tokens[tokens.length - 1])).refreshToken); // fresh IP each
    expect(new Set(tokens).size).toBe(21);
    for (const token of tokens) expect(base64urlBytes(token), token).toHaveLength(32);
  });

  it('after two rotations no refresh token seen is stored in clear: not in the sessions row, not among retired tokens', async () => {
    // Someone who can read the database (a backup, a leaked dump) must not be able to take over a
    // session: each row is searched whole as text, for the token and for its bytes in hex (a bytea).
    const user = await signUp();
    const first = await refreshed(user.refreshToken);
    const second = await refreshed(first.refreshToken);
    const seen = [user.refreshToken, first.refreshToken, second.refreshToken];
    const [session] = await queryDatabase<{ text: string }>('select s::text as text from sessions s where s.id = $1', [
      user.sessionId,
    ]);
    const retired = await queryDatabase<{ text: string }>(
      'select r::text as text from retired_refresh_tokens r where r.session_id = $1',
      [user.sessionId],
    );
    // The first token was retired by the second rotation: there is a row to search.
    expect(retired).toHaveLength(1);
    for (const text of [session.text, ...retired.map((row) => row.text)]) {
      for (const token of seen) {
        expect(text).not.toContain(token);
        expect(text).not.toContain(hex(base64urlBytes(token)));
      }
    }
    // What the retired row does hold for the first token is its SHA-256.
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(user.refreshToken));
    expect(retired[0].text).toContain(hex(new Uint8Array(digest)));
  });

  it('two tabs refreshing at once with one token both get a working Session (the same new refresh token)', async () => {
    for (let round = 0; round < 5; round++) {
      const user = await signUp();
      const [a, b] = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const sa = (await a.json()) as { refreshToken: string; accessToken: string };
      const tabB = (await b.json()) as { refreshToken: string; accessToken: string };
      expect(tabB.refreshToken).toBe(sa.refreshToken);
      expect((await me(sa.accessToken)).status).toBe(200);
      expect((await me(tabB.accessToken)).status).toBe(200);
      // The chain goes on from the shared token.
      expect((await refreshed(sa.refreshToken)).sessionId).toBe(user.sessionId);
    }
  });

  it('the previous token within 10 s (a late tab) still gets the session; after 10 s its replay revokes it', async () => {
    const user = await signUp();
    const next = await refreshed(user.refreshToken);
    const late = await refreshed(user.refreshToken);
    expect(late.refreshToken).toBe(next.refreshToken);

    await queryDatabase(`update sessions set rotated_at = now() - interval '11 seconds' where id = $1`, [
      user.sessionId,
    ]);
    const replay = await refresh(user.refreshToken);
    expect(replay.status).toBe(401);
    expect(await sessionRow(user.sessionId)).toMatchObject({ revoked_reason: 'refresh_token_reused' });
    // Every token of the session is dead now: the thief's and the owner's.
    expect((await refresh(next.refreshToken)).status).toBe(401);
    expect((await me(next.accessToken)).status).toBe(401);
    expect((await me(late.accessToken)).status).toBe(401);
  });

  it('the sealed copy of the current token opens only with the server secret, and is cleared after 10 s', async () => {
    // A copy of the database plus a spent token must not yield the current one.
    const user = await signUp();
    const next = await refreshed(user.refreshToken);
    const { next_token_sealed: sealed } = await sessionRow(user.sessionId);
    expect(typeof sealed).toBe('string');
    const config = loadConfig(env as Bindings);
    expect(await openNextToken(sealed as string, user.refreshToken, [config.secretKey])).toBe(next.refreshToken);
    const stranger = crypto.getRandomValues(new Uint8Array(48));
    expect(await openNextToken(sealed as string, user.refreshToken, [stranger])).toBeNull();

    // Within the window it is still there for a racing tab; once the window has passed, the clean-up clears it.
    await clearSealedTokens(createDatabase(config));
    expect((await sessionRow(user.sessionId)).next_token_sealed).toBe(sealed);
    await queryDatabase(`update sessions set rotated_at = now() - interval '11 seconds' where id = $1`, [
      user.sessionId,
    ]);
    expect(await clearSealedTokens(createDatabase(config))).toBeGreaterThanOrEqual(1);
    expect((await sessionRow(user.sessionId)).next_token_sealed).toBeNull();
    // The session itself goes on.
    expect((await refreshed(next.refreshToken)).sessionId).toBe(user.sessionId);
  });

  it('a token two or more rotations old (a thief refreshed twice): its replay after 10 s ends the session', async () => {
    const user = await signUp();
    const first = await refreshed(user.refreshToken); // the thief, with the stolen token
    const second = await refreshed(first.refreshToken);
    // Within the window a retired token is refused without ending anything (a very slow tab).
    expect((await refresh(user.refreshToken)).status).toBe(401);
    expect((await me(second.accessToken)).status).toBe(200);
    await queryDatabase(
      `update retired_refresh_tokens set retired_at = now() - interval '11 seconds' where session_id = $1`,
      [user.sessionId],
    );
    // The owner comes back with the original token: the whole session ends, the thief's tokens too.
    expect((await refresh(user.refreshToken)).status).toBe(401);
    expect(await sessionRow(user.sessionId)).toMatchObject({ revoked_reason: 'refresh_token_reused' });
    expect((await refresh(second.refreshToken)).status).toBe(401);
    expect((await me(second.accessToken)).status).toBe(401);
  });

  it('unknown, malformed or missing refresh tokens → 401 or 400, never 500', async () => {
    expect((await refresh('x'.repeat(43))).status).toBe(401);
    const response = await refresh('');
    expect(response.status).toBe(400);
    expect((await authPost('/api/auth/refresh', {})).status).toBe(400);
    expect((await authPost('/api/auth/refresh', { refreshToken: 'a', extra: 1 })).status).toBe(400);
  });

  it('needs no access token, and an access token is not a refresh token', async () => {
    const user = await signUp();
    expect((await refresh(user.token)).status).toBe(401);
  });

  it('over 60 refreshes per client network per 60 s → 429 with Retry-After, before any database work', async () => {
    const ip = freshIp();
    await insideOneWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await refresh('y'.repeat(43), ip)).status);
    expect(statuses.slice(0, 60).every((status) => status === 401)).toBe(true);
    expect(statuses[60]).toBe(429);
    const limited = await refresh('y'.repeat(43), ip);
    expect(limited.headers.get('Retry-After')).toBe('60');
  });

  it('the refresh limit counts an IPv6 /64 as one network: rotating addresses inside it does not reset it', async () => {
    const [a, b] = crypto.getRandomValues(new Uint16Array(2));
    const net = `2001:db8:${a.toString(16)}:${b.toString(16)}`;
    await insideOneWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push((await refresh('y'.repeat(43), `${net}::${(i + 1).toString(16)}`)).status);
    expect(statuses.every((status) => status === 401)).toBe(true);
    const { response, statements } = await countingStatements(
      '/api/auth/refresh',
      jsonRequest({ refreshToken: 'y'.repeat(43) }, { headers: { 'CF-Connecting-IP': `${net}:1:2:3:4` } }),
    );
    expect(response.status).toBe(429);
    expect(statements).toBe(0);
    // The next /64 is another network.
    expect(
      (await refresh('y'.repeat(43), `2001:db8:${a.toString(16)}:${((b + 1) & 0xffff).toString(16)}::1`)).status,
    ).toBe(401);
  });
});

describe('ending sessions: the old tokens are refused on the very next request, on every route', () => {
  it('sign-out', async () => {
    const client = await newClient();
    const task = await client.create();
    const response = await api('/api/auth/signout', { method: 'POST', headers: bearer(client.token) });
    expect(response.status).toBe(204);
    await expectDeadEverywhere(client.token, task.id);
    expect((await refresh(client.session.refreshToken)).status).toBe(401);
  });

  it('sign-out-all ends every session of the user, the other user\u2019s stay', async () => {
    const user = await signUp();
    const second = (await (
      await authPost('/api/auth/signin', { email: user.email, password: user.password })
    ).json()) as { accessToken: string; refreshToken: string };
    const other = await signUp();
    const task = (await (
      await api('/api/tasks', jsonRequest({ title: 'x' }, { headers: bearer(user.token) }))
    ).json()) as { id: number };
    expect((await api('/api/auth/signout-all', { method: 'POST', headers: bearer(second.accessToken) })).status).toBe(
      204,
    );
    await expectDeadEverywhere(user.token, task.id);
    await expectDeadEverywhere(second.accessToken, task.id);
    expect((await refresh(user.refreshToken)).status).toBe(401);
    expect((await refresh(second.refreshToken)).status).toBe(401);
    expect((await me(other.token)).status).toBe(200);
  });

  it('revoking one session by id (from another device); another user\u2019s session id is 404', async () => {
    const user = await signUp();
    const laptop = (await (
      await authPost('/api/auth/signin', { email: user.email, password: user.password }, { 'User-Agent': 'laptop' })
    ).json()) as { accessToken: string; sessionId: string };
    const other = await signUp();
    const foreign = await api(`/api/auth/sessions/${other.sessionId}`, {
      method: 'DELETE',
      headers: bearer(user.token),
    });
    expect(foreign.status).toBe(404);
    expect((await me(other.token)).status).toBe(200);
    const revoked = await api(`/api/auth/sessions/${laptop.sessionId}`, {
      method: 'DELETE',
      headers: bearer(user.token),
    });
    expect(revoked.status).toBe(204);
    await expectDeadEverywhere(laptop.accessToken, 1);
    expect((await me(user.token)).status).toBe(200);
    const again = await api(`/api/auth/sessions/${laptop.sessionId}`, {
      method: 'DELETE',
      headers: bearer(user.token),
    });
    expect(again.status).toBe(404);
  });

  it('a password change revokes every earlier session, the caller\u2019s included, and returns a new one', async () => {
    const user = await signUp();
    const other = (await (
      await authPost('/api/auth/signin', { email: user.email, password: user.password })
    ).json()) as { accessToken: string; refreshToken: string };
    const response = await authPost(
      '/api/auth/password',
      { currentPassword: user.password, newPassword: 'a brand new password' },
      bearer(user.token),
    );
    expect(response.status).toBe(200);
    const fresh = (await response.json()) as { accessToken: string; sessionId: string; refreshToken: string };
    expect(fresh.sessionId).not.toBe(user.sessionId);
    await expectDeadEverywhere(user.token, 1);
    await expectDeadEverywhere(other.accessToken, 1);
    expect((await refresh(user.refreshToken)).status).toBe(401);
    expect((await refresh(other.refreshToken)).status).toBe(401);
    expect((await me(fresh.accessToken)).status).toBe(200);
    expect((await refresh(fresh.refreshToken)).status).toBe(200);
  });

  it('account deletion: every token of every session is refused (401, never an empty list)', async () => {
    const client = await newClient();
    const task = await client.create();
    const response = await api(
      '/api/auth/me',
      jsonRequest(
        { password: 'correct horse battery' },
        { method: 'DELETE', headers: { ...bearer(client.token), 'CF-Connecting-IP': freshIp() } },
      ),
    );
    expect(response.status).toBe(204);
    await expectDeadEverywhere(client.token, task.id);
    expect((await refresh(client.session.refreshToken)).status).toBe(401);
    expect(await queryDatabase('select 1 from sessions where user_id = $1', [client.userId])).toHaveLength(0);
  });

  it('idle end: a session not refreshed for SESSION_IDLE_TTL_SECONDS is over', async () => {
    const client = await newClient();
    const task = await client.create();
    await queryDatabase(`update sessions set idle_expires_at = now() - interval '1 second' where id = $1`, [
      client.session.sessionId,
    ]);
    await expectDeadEverywhere(client.token, task.id);
    expect((await refresh(client.session.refreshToken)).status).toBe(401);
  });

  it('absolute end: SESSION_MAX_TTL_SECONDS after signin, whatever the refreshes', async () => {
    const client = await newClient();
    const task = await client.create();
    await queryDatabase(`update sessions set expires_at = now() - interval '1 second' where id = $1`, [
      client.session.sessionId,
    ]);
    await expectDeadEverywhere(client.token, task.id);
    expect((await refresh(client.session.refreshToken)).status).toBe(401);
  });

  it('refreshing moves the idle end but never the absolute end', async () => {
    const settings = { SESSION_IDLE_TTL_SECONDS: '100', SESSION_MAX_TTL_SECONDS: '150' };
    const signup = await authPostWith(settings, '/api/auth/signup', {
      email: uniqueEmail('ends'),
      password: 'long enough pw',
    });
    const first = (await signup.json()) as { sessionId: string; refreshToken: string; refreshExpiresAt: string };
    const absoluteEnd = () =>
      queryDatabase<{ ms: string; exact: string }>(
        'select floor(extract(epoch from expires_at) * 1000)::bigint as ms, expires_at::text as exact from sessions where id = $1',
        [first.sessionId],
      ).then((rows) => rows[0]);
    const atSignup = await absoluteEnd();
    // At signup the idle end (now + 100 s) comes 50 s before the absolute end (now + 150 s), both from
    // one now(); the returned time has millisecond precision, the column microseconds.
    expect(Math.abs(Number(atSignup.ms) - Date.parse(first.refreshExpiresAt) - 50_000)).toBeLessThanOrEqual(1);
    await queryDatabase(`update sessions set expires_at = now() + interval '60 seconds' where id = $1`, [
      first.sessionId,
    ]);
    const before = await absoluteEnd();
    const response = await authPostWith(settings, '/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(response.status).toBe(200);
    const next = (await response.json()) as { refreshExpiresAt: string };
    const row = await absoluteEnd();
    // Idle would be now + 100 s; the absolute end (now + 60 s) caps it, and is itself unchanged.
    expect(Date.parse(next.refreshExpiresAt)).toBe(Number(row.ms));
    expect(Date.parse(next.refreshExpiresAt) - Date.now()).toBeLessThan(61_000);
    expect(row.exact).toBe(before.exact);
  });
});

describe('session lifetimes follow the settings', () => {
  it('SESSION_IDLE_TTL_SECONDS and SESSION_MAX_TTL_SECONDS set both ends; a refresh restarts only the idle one', async () => {
    // Short, distinct values, so that a default (7 and 30 days) or the two swapped cannot pass. Times
    // are measured against the database's now(), the clock the statements use.
    const settings = { SESSION_IDLE_TTL_SECONDS: '100', SESSION_MAX_TTL_SECONDS: '1000' };
    const ends = (id: string) =>
      queryDatabase<{ idle: string; max: string; expires_at: string }>(
        `select extract(epoch from idle_expires_at - now()) as idle, extract(epoch from expires_at - now()) as max,
                expires_at::text as expires_at
           from sessions where id = $1`,
        [id],
      ).then((rows) => rows[0]);
    const signup = await authPostWith(settings, '/api/auth/signup', {
      email: uniqueEmail('lifetimes'),
      password: 'long enough pw',
    });
    expect(signup.status).toBe(201);
    const { sessionId, refreshToken } = (await signup.json()) as { sessionId: string; refreshToken: string };
    const opened = await ends(sessionId);
    expect(Math.abs(Number(opened.idle) - 100)).toBeLessThanOrEqual(3);
    expect(Math.abs(Number(opened.max) - 1000)).toBeLessThanOrEqual(3);

    // Almost idle: a refresh now must give the session another 100 s, and not a second more at the end.
    await queryDatabase(`update sessions set idle_expires_at = now() + interval '5 seconds' where id = $1`, [
      sessionId,
    ]);
    const response = await authPostWith(settings, '/api/auth/refresh', { refreshToken });
    expect(response.status).toBe(200);
    const refreshedEnds = await ends(sessionId);
    expect(Math.abs(Number(refreshedEnds.idle) - 100)).toBeLessThanOrEqual(3);
    expect(refreshedEnds.expires_at).toBe(opened.expires_at);
  });
});

describe('access tokens that ran out', () => {
  it('a genuine expired token → 401 TOKEN_EXPIRED with zero statements; the app refreshes and carries on', async () => {
    const user = await signUp();
    const now = Math.floor(Date.now() / 1000);
    const expired = await craftToken({ sub: user.userId, sid: user.sessionId, iat: now - 1000, exp: now - 100 });
    const { response, statements } = await countingStatements('/api/tasks', { headers: bearer(expired) });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('TOKEN_EXPIRED');
    expect(statements).toBe(0);
    const next = await refreshed(user.refreshToken);
    expect((await api('/api/tasks', { headers: bearer(next.accessToken) })).status).toBe(200);
  });

  it('a correctly signed token naming an unknown session → 401 UNAUTHENTICATED', async () => {
    const user = await signUp();
    const token = await craftToken({ sub: user.userId, sid: crypto.randomUUID() });
    const response = await api('/api/tasks', { headers: bearer(token) });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
  });
});

describe('GET /api/auth/sessions', () => {
  it('lists live sessions newest first, marks the current one, and shows no token or hash', async () => {
    const user = await signUp();
    const second = (await (
      await authPost('/api/auth/signin', { email: user.email, password: user.password }, { 'User-Agent': 'phone/1.0' })
    ).json()) as { sessionId: string; accessToken: string };
    const ended = (await (
      await authPost('/api/auth/signin', { email: user.email, password: user.password })
    ).json()) as { sessionId: string; accessToken: string };
    await api('/api/auth/signout', { method: 'POST', headers: bearer(ended.accessToken) });
    const response = await api('/api/auth/sessions', { headers: bearer(second.accessToken) });
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const text = await response.text();
    const { items } = JSON.parse(text) as { items: { id: string; current: boolean; userAgent: string | null }[] };
    expect(items.map((item) => item.id)).toEqual([second.sessionId, user.sessionId]);
    expect(items.map((item) => item.current)).toEqual([true, false]);
    expect(items[0].userAgent).toBe('phone/1.0');
    expect(Object.keys(items[0]).sort()).toEqual([
      'createdAt',
      'current',
      'expiresAt',
      'id',
      'lastUsedAt',
      'userAgent',
    ]);
    const row = (await sessionRow(user.sessionId)) as { refresh_token_hash: string };
    expect(text).not.toContain(row.refresh_token_hash);
    expect(text).not.toContain(user.refreshToken);
  });

  it('at most 100 live sessions per account: a signin beyond them ends the least recently used one, in its statement', async () => {
    const user = await signUp();
    // 98 older sessions besides signup's, each last used a minute before the next; the oldest two's
    // refresh tokens are known.
    const tokens = [newRefreshToken(), newRefreshToken()];
    const hashes = await Promise.all(tokens.map(hashRefreshToken));
    await queryDatabase(
      `insert into sessions (user_id, refresh_token_hash, idle_expires_at, expires_at, created_at, last_used_at)
       select $1, case i when 98 then $2 when 97 then $3 else md5(random()::text) || md5(random()::text) end,
              now() + interval '1 day', now() + interval '2 days',
              now() - make_interval(mins => i), now() - make_interval(mins => i)
         from generate_series(1, 98) i`,
      [user.userId, hashes[0], hashes[1]],
    );
    const signIn = async () => {
      const { response, statements } = await countingStatements(
        '/api/auth/signin',
        jsonRequest({ email: user.email, password: user.password }, { headers: { 'CF-Connecting-IP': freshIp() } }),
      );
      expect(response.status).toBe(200);
      expect(statements).toBe(2);
      return (await response.json()) as { accessToken: string };
    };
    const list = async (accessToken: string) =>
      ((await (await api('/api/auth/sessions', { headers: bearer(accessToken) })).json()) as { items: unknown[] })
        .items;

    // The 100th: nothing ends.
    const hundredth = await signIn();
    expect(await list(hundredth.accessToken)).toHaveLength(100);
    // The 101st ends the least recently used (98 minutes ago), and only it.
    const next = await signIn();
    expect(await list(next.accessToken)).toHaveLength(100);
    const [evicted] = await queryDatabase<{ revoked_reason: string }>(
      'select revoked_reason from sessions where refresh_token_hash = $1',
      [hashes[0]],
    );
    expect(evicted.revoked_reason).toBe('session_limit');
    expect((await refresh(tokens[0])).status).toBe(401);
    expect((await refresh(tokens[1])).status).toBe(200);
    expect((await me(user.token)).status).toBe(200);
    expect((await me(hundredth.accessToken)).status).toBe(200);
  });

  it('the OpenAPI document declares the list\u2019s bound: maxItems 100', () => {
    expect(OPENAPI_DOCUMENT.components.schemas.SessionList.properties.items.maxItems).toBe(100);
  });

  it('a malformed session id → 400', async () => {
    const user = await signUp();
    const response = await api('/api/auth/sessions/not-a-uuid', { method: 'DELETE', headers: bearer(user.token) });
    expect(response.status).toBe(400);
  });
});

describe('clean-up', () => {
  it('deletes ended sessions (revoked, idle or absolute end) in batches and keeps live ones', async () => {
    const users = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
    await queryDatabase(`update sessions set revoked_at = now() where id = $1`, [users[0].sessionId]);
    await queryDatabase(`update sessions set idle_expires_at = now() - interval '1 s' where id = $1`, [
      users[1].sessionId,
    ]);
    await queryDatabase(`update sessions set expires_at = now() - interval '1 s' where id = $1`, [users[2].sessionId]);
    const db = createDatabase(loadConfig(env as Bindings));
    expect(await deleteEndedSessions(db, 1)).toBeGreaterThanOrEqual(3);
    for (const ended of users.slice(0, 3)) expect(await sessionRow(ended.sessionId)).toBeUndefined();
    expect(await sessionRow(users[3].sessionId)).toBeDefined();
  });
});
