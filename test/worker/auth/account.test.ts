// Account lifecycle: me, password change, deletion (cascade), deleted users' tokens, and what logs
// and responses must never contain (SECURITY A5, B20, G39, F35).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bcryptComparisons } from '../../../src/auth/accounts/passwords.ts';
import type { SessionDto } from '../../../src/auth/schemas.ts';
import { api, apiWith, countingStatements, jsonRequest, queryDatabase } from '../support/api.ts';
import { authPost, bearer, freshIp, signUp } from '../support/auth.ts';
import { latestLinkToken } from '../support/mail.ts';
import { insideOneWindow } from '../support/rate-limit.ts';

function authed(token: string, method: string, path: string, body?: unknown) {
  return api(
    path,
    body === undefined ? { method, headers: bearer(token) } : jsonRequest(body, { method, headers: bearer(token) }),
  );
}

describe('POST /api/auth/password', () => {
  it('changes the password and returns a fresh session; the old password stops working', async () => {
    const { email, password, token, userId } = await signUp();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a new token differs by its iat
    const response = await authed(token, 'POST', '/api/auth/password', {
      currentPassword: password,
      newPassword: 'brand new password',
    });
    expect(response.status).toBe(200);
    const session = (await response.json()) as SessionDto;
    expect(session.user.id).toBe(userId);
    expect(session.accessToken).not.toBe(token);
    expect((await api('/api/auth/me', { headers: bearer(session.accessToken) })).status).toBe(200);
    expect((await authPost('/api/auth/signin', { email, password })).status).toBe(401);
    expect((await authPost('/api/auth/signin', { email, password: 'brand new password' })).status).toBe(200);
  });

  it('a wrong current password → 403 INVALID_CREDENTIALS naming currentPassword (the session stays), and nothing changes', async () => {
    const { email, password, token } = await signUp();
    const before = await queryDatabase('select password_hash, updated_at from users where email = $1', [email]);
    const response = await authed(token, 'POST', '/api/auth/password', {
      currentPassword: 'not it at all',
      newPassword: 'another password',
    });
    // Not 401: the access token is fine, and an app that signs out on 401 must not sign out here.
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      status: 403,
      errors: [{ path: 'currentPassword' }],
    });
    expect((await authed(token, 'GET', '/api/auth/me')).status).toBe(200);
    expect(await queryDatabase('select password_hash, updated_at from users where email = $1', [email])).toEqual(
      before,
    );
    expect((await authPost('/api/auth/signin', { email, password })).status).toBe(200);
  });

  it('the new password follows the signup rules (400), and the route needs a token (401)', async () => {
    const { password, token } = await signUp();
    const short = await authed(token, 'POST', '/api/auth/password', {
      currentPassword: password,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ errors: [{ path: 'newPassword' }] });
    const anonymous = await api(
      '/api/auth/password',
      jsonRequest({ currentPassword: password, newPassword: 'long enough' }),
    );
    expect(anonymous.status).toBe(401);
  });
});

describe('DELETE /api/auth/me', () => {
  it('requires the password: wrong → 403 INVALID_CREDENTIALS naming password, and the account stays', async () => {
    const { token, userId } = await signUp();
    const response = await authed(token, 'DELETE', '/api/auth/me', { password: 'wrong password' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      status: 403,
      errors: [{ path: 'password' }],
    });
    expect(await queryDatabase('select id from users where id = $1', [userId])).toHaveLength(1);
  });

  it('204; the user and exactly their tasks are gone, other users\u2019 and legacy tasks untouched', async () => {
    const a = await signUp();
    const b = await signUp();
    await queryDatabase(
      `insert into tasks (title, user_id) values ('a-one', $1), ('a-two', $1), ('b-one', $2), ('legacy-delete-test', null)`,
      [a.userId, b.userId],
    );
    const response = await authed(a.token, 'DELETE', '/api/auth/me', { password: a.password });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(await queryDatabase('select 1 from users where id = $1', [a.userId])).toHaveLength(0);
    expect(await queryDatabase('select 1 from tasks where user_id = $1', [a.userId])).toHaveLength(0);
    expect(await queryDatabase(`select title from tasks where user_id = $1`, [b.userId])).toEqual([{ title: 'b-one' }]);
    expect(
      await queryDatabase(`select 1 from tasks where title = 'legacy-delete-test' and user_id is null`),
    ).toHaveLength(1);
  });

  it('a deleted user\u2019s unexpired token is 401 on /me, on password change, and on a second delete', async () => {
    const { token, password } = await signUp();
    expect((await authed(token, 'DELETE', '/api/auth/me', { password })).status).toBe(204);
    for (const response of [
      await authed(token, 'GET', '/api/auth/me'),
      await authed(token, 'POST', '/api/auth/password', { currentPassword: password, newPassword: 'whatever long' }),
      await authed(token, 'DELETE', '/api/auth/me', { password }),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});

describe('password checks per account', () => {
  /** A request that cost nothing: no statement, no bcrypt comparison. */
  async function expectLimitedForFree(path: string, init: RequestInit) {
    const before = bcryptComparisons();
    const { response, statements } = await countingStatements(path, init);
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('60');
    expect(await response.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(statements).toBe(0);
    expect(bcryptComparisons() - before).toBe(0);
  }

  it('11 password checks at one account from 11 networks within 60 s: the 11th is 429 before any query or bcrypt, change and deletion alike; other accounts unaffected', async () => {
    const victim = await signUp();
    await insideOneWindow();
    for (let i = 0; i < 10; i++) {
      const response =
        i % 2
          ? await api(
              '/api/auth/me',
              jsonRequest(
                { password: `guess number ${i}` },
                { method: 'DELETE', headers: { ...bearer(victim.token), 'CF-Connecting-IP': freshIp() } },
              ),
            )
          : await api(
              '/api/auth/password',
              jsonRequest(
                { currentPassword: `guess number ${i}`, newPassword: 'whatever it takes' },
                { headers: { ...bearer(victim.token), 'CF-Connecting-IP': freshIp() } },
              ),
            );
      expect(response.status).toBe(403);
    }
    // Even the right password waits: the limit is decided before the password is looked at.
    await expectLimitedForFree(
      '/api/auth/password',
      jsonRequest(
        { currentPassword: victim.password, newPassword: 'whatever it takes' },
        { headers: { ...bearer(victim.token), 'CF-Connecting-IP': freshIp() } },
      ),
    );
    await expectLimitedForFree(
      '/api/auth/me',
      jsonRequest(
        { password: victim.password },
        { method: 'DELETE', headers: { ...bearer(victim.token), 'CF-Connecting-IP': freshIp() } },
      ),
    );
    const bystander = await signUp();
    const other = await api(
      '/api/auth/password',
      jsonRequest(
        { currentPassword: bystander.password, newPassword: 'a new one for me' },
        { headers: { ...bearer(bystander.token), 'CF-Connecting-IP': freshIp() } },
      ),
    );
    expect(other.status).toBe(200);
  });

  it('the limiter is keyed on the user id; without its binding the password routes refuse to serve (500 CONFIG_INVALID)', async () => {
    const user = await signUp();
    const keys: string[] = [];
    const recording = {
      limit: async ({ key }: { key: string }) => {
        keys.push(key);
        return { success: true };
      },
    };
    const init = () =>
      jsonRequest(
        { currentPassword: 'not the password', newPassword: 'whatever it takes' },
        { headers: { ...bearer(user.token), 'CF-Connecting-IP': freshIp() } },
      );
    expect((await apiWith({ PASSWORD_ACCOUNT_RATE_LIMITER: recording }, '/api/auth/password', init())).status).toBe(
      403,
    );
    expect(keys).toEqual([`password:${user.userId}`]);
    const unbound = await apiWith({ PASSWORD_ACCOUNT_RATE_LIMITER: undefined }, '/api/auth/password', init());
    expect(unbound.status).toBe(500);
    expect(await unbound.json()).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('secrets stay secret', () => {
  afterEach(() => vi.restoreAllMocks());

  it('no response or log line carries a password, hash, token or email in clear; signin outcomes are logged', async () => {
    const lines: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    const email = `secret-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const password = 'Sup3r secret\r\npassword';
    const responses: string[] = [];
    const call = async (path: string, init: RequestInit) => {
      const response = await apiWith({}, path, init);
      responses.push(JSON.stringify(Object.fromEntries(response.headers)) + (await response.text()));
      return response;
    };
    const ip = { 'CF-Connecting-IP': '10.253.1.1' };
    const signup = await call('/api/auth/signup', jsonRequest({ email, password }, { headers: ip }));
    expect(signup.status).toBe(201);
    const token = (JSON.parse(responses[0].slice(responses[0].indexOf('}{') + 1)) as SessionDto).accessToken;
    await call('/api/auth/signin', jsonRequest({ email, password }, { headers: ip }));
    await call('/api/auth/signin', jsonRequest({ email, password: `${password}-wrong` }, { headers: ip }));
    await call('/api/auth/signin', jsonRequest({ email: `nobody-${email}`, password }, { headers: ip }));
    await call(
      '/api/auth/password',
      jsonRequest({ currentPassword: password, newPassword: `${password}2` }, { headers: { ...ip, ...bearer(token) } }),
    );
    const [{ password_hash: hash }] = await queryDatabase<{ password_hash: string }>(
      'select password_hash from users where email = $1',
      [email],
    );

    for (const text of [...responses, ...lines]) {
      expect(text).not.toContain('Sup3r secret');
      expect(text).not.toContain(hash);
      expect(text).not.toContain('$2b$');
      expect(text).not.toMatch(/password_?hash/i);
    }
    for (const line of lines) {
      expect(line).not.toContain(token.split('.')[2]);
      expect(line).not.toContain(email);
    }
    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const signins = events.filter((event) => event.event === 'signin');
    expect(signins.map((event) => event.outcome)).toEqual(['success', 'failure', 'failure']);
    for (const event of signins) {
      expect(event).toMatchObject({ ip: '10.253.1.1', requestId: expect.any(String), time: expect.any(String) });
      expect(event.userId ?? event.emailHash).toEqual(expect.any(String));
    }
  });

  it('account deletion (wrong, then right password), reset confirm, signups refused for the password: no password, hash or reset token in a response or log line', async () => {
    // The routes that handle a password other than signin's and the password change's: a wrong one
    // that is refused, a new one that is hashed without a session, and one refused before hashing,
    // whose validation error must not echo it.
    const lines: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    const responses: string[] = [];
    const call = async (path: string, init: RequestInit) => {
      const response = await apiWith({}, path, init);
      responses.push(JSON.stringify(Object.fromEntries(response.headers)) + (await response.text()));
      return response;
    };
    // A new address per request: this test is about what is said, not the per-network limit.
    const post = (path: string, body: unknown) =>
      call(path, jsonRequest(body, { headers: { 'CF-Connecting-IP': freshIp() } }));
    const hashOf = async (email: string) =>
      (await queryDatabase<{ password_hash: string }>('select password_hash from users where email = $1', [email]))[0]
        .password_hash;
    const hashes: string[] = [];

    // Deletion, refused with a wrong password and then done with the right one.
    const doomed = { email: `doomed-${crypto.randomUUID().slice(0, 8)}@example.test`, password: 'D3lete secret pass' };
    expect((await post('/api/auth/signup', doomed)).status).toBe(201);
    const doomedToken = (JSON.parse(responses[0].slice(responses[0].indexOf('}{') + 1)) as SessionDto).accessToken;
    hashes.push(await hashOf(doomed.email));
    const deleteWith = (password: string) =>
      call(
        '/api/auth/me',
        jsonRequest(
          { password },
          { method: 'DELETE', headers: { ...bearer(doomedToken), 'CF-Connecting-IP': freshIp() } },
        ),
      );
    expect((await deleteWith('Wr0ng guess secret')).status).toBe(403);
    expect((await deleteWith(doomed.password)).status).toBe(204);

    // A password reset: the old hash, the new password and its hash, and the token from the email.
    const resetting = await signUp(`resetting-${crypto.randomUUID().slice(0, 8)}@example.test`, 'R3set old secret');
    hashes.push(await hashOf(resetting.email));
    expect((await post('/api/auth/password-reset', { email: resetting.email })).status).toBe(202);
    const resetToken = await latestLinkToken(resetting.email, 'reset-password');
    const confirmed = await post('/api/auth/password-reset/confirm', {
      token: resetToken,
      newPassword: 'R3set new secret',
    });
    expect(confirmed.status).toBe(204);
    hashes.push(await hashOf(resetting.email));
    expect(hashes[2]).not.toBe(hashes[1]);

    // Signups refused for the password: too short (7 characters) and too long (73 bytes).
    const short = 'Sh0rt7!';
    const long = 'L0ng secret '.padEnd(73, 'z');
    expect([short.length, new TextEncoder().encode(long).length]).toEqual([7, 73]);
    for (const password of [short, long]) {
      const response = await post('/api/auth/signup', {
        email: `refused-${crypto.randomUUID()}@example.test`,
        password,
      });
      expect(response.status).toBe(400);
    }
    expect(responses.at(-1)).toContain('VALIDATION_FAILED');

    const secrets = ['D3lete secret', 'Wr0ng guess', 'R3set old', 'R3set new', short, 'L0ng secret', long, ...hashes];
    for (const text of [...responses, ...lines]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toContain('$2b$');
    }
    for (const line of lines) expect(line).not.toContain(resetToken);
    // The routes did log, so the search above covered their lines: their audit events are there.
    const events = lines.map((line) => JSON.parse(line) as { event?: string; outcome?: string });
    expect(events.map((event) => `${event.event} ${event.outcome}`)).toEqual(
      expect.arrayContaining(['account_delete failure', 'account_delete success', 'password_reset success']),
    );
  });
});
