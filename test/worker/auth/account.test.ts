// Account lifecycle: me, password change, deletion (cascade), deleted users' tokens, and what logs
// and responses must never contain (SECURITY A5, B20, G39, F35).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionDto } from '../../../src/auth/schemas.ts';
import { api, apiWith, jsonRequest, queryDatabase } from '../support/api.ts';
import { authPost, bearer, signUp } from '../support/auth.ts';

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

  it('a wrong current password → 401 INVALID_CREDENTIALS and nothing changes', async () => {
    const { email, password, token } = await signUp();
    const before = await queryDatabase('select password_hash, updated_at from users where email = $1', [email]);
    const response = await authed(token, 'POST', '/api/auth/password', {
      currentPassword: 'not it at all',
      newPassword: 'another password',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
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
  it('requires the password: wrong → 401 INVALID_CREDENTIALS and the account stays', async () => {
    const { token, userId } = await signUp();
    const response = await authed(token, 'DELETE', '/api/auth/me', { password: 'wrong password' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
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
});
