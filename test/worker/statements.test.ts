// One database round trip per request: the statements the driver sends, counted on the wire.
import { describe, expect, it } from 'vitest';
import { api, countingStatements, jsonRequest } from './support/api.ts';
import { bearer, freshIp, signUp, uniqueEmail } from './support/auth.ts';
import { newClient } from './support/tasks.ts';

describe('statements per request', () => {
  it('signup: exactly 1 (user and session together); signin: 2 (lookup, bcrypt, then the session)', async () => {
    const email = uniqueEmail('count');
    const signup = await countingStatements(
      '/api/auth/signup',
      jsonRequest({ email, password: 'count me in' }, { headers: { 'CF-Connecting-IP': freshIp() } }),
    );
    expect(signup.response.status).toBe(201);
    expect(signup.statements).toBe(1);
    const signin = await countingStatements(
      '/api/auth/signin',
      jsonRequest({ email, password: 'count me in' }, { headers: { 'CF-Connecting-IP': freshIp() } }),
    );
    expect(signin.response.status).toBe(200);
    expect(signin.statements).toBe(2);
  });

  it('every task route: exactly 1; a rejected token: 0', async () => {
    const client = await newClient();
    const task = await client.create();
    const auth = bearer(client.token);
    const json = { ...auth, 'Content-Type': 'application/json' };
    const cases: [string, string, RequestInit, number][] = [
      ['list', '/api/tasks', { headers: auth }, 200],
      ['changes', '/api/tasks/changes?since=0', { headers: auth }, 200],
      ['live ticket', '/api/tasks/live/ticket', { method: 'POST', headers: auth }, 201],
      ['create', '/api/tasks', { method: 'POST', headers: json, body: JSON.stringify({ title: 'counted' }) }, 201],
      ['get', `/api/tasks/${task.id}`, { headers: auth }, 200],
      ['patch', `/api/tasks/${task.id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ title: 'p' }) }, 200],
      [
        'put',
        `/api/tasks/${task.id}`,
        { method: 'PUT', headers: json, body: JSON.stringify({ title: 'q', description: null, completed: true }) },
        200,
      ],
      ['toggle', `/api/tasks/${task.id}/complete`, { method: 'PATCH', headers: auth }, 200],
      ['missing', '/api/tasks/2147483647', { headers: auth }, 404],
      ['patch missing', '/api/tasks/2147483647', { method: 'PATCH', headers: json, body: '{"title":"m"}' }, 404],
      [
        'keyed create',
        '/api/tasks',
        { method: 'POST', headers: { ...json, 'Idempotency-Key': 'k' }, body: '{"title":"k"}' },
        201,
      ],
      [
        'replayed create',
        '/api/tasks',
        { method: 'POST', headers: { ...json, 'Idempotency-Key': 'k' }, body: '{"title":"k"}' },
        201,
      ],
      ['delete', `/api/tasks/${task.id}`, { method: 'DELETE', headers: auth }, 204],
      ['me', '/api/auth/me', { headers: auth }, 200],
    ];
    for (const [name, path, init, status] of cases) {
      const { response, statements } = await countingStatements(path, init);
      expect(response.status, name).toBe(status);
      expect(statements, name).toBe(1);
    }
    for (const [name, path, init] of [
      ['bad token', '/api/tasks', { headers: bearer('not.a.token') }],
      ['no token', '/api/tasks', {}],
      ['bad id', '/api/tasks/abc', { headers: auth }],
    ] as const) {
      const { response, statements } = await countingStatements(path, init);
      expect(response.status, name).toBeGreaterThanOrEqual(400);
      expect(statements, name).toBe(0);
    }
  });

  it('a control: the counter sees more than one statement when a request sends more (password change)', async () => {
    const { token, password } = await signUp();
    const { response, statements } = await countingStatements(
      '/api/auth/password',
      jsonRequest(
        { currentPassword: password, newPassword: 'another long one' },
        { headers: { ...bearer(token), 'CF-Connecting-IP': freshIp() } },
      ),
    );
    expect(response.status).toBe(200);
    expect(statements).toBe(2);
  });

  it('sessions: refresh, sessions list, revoke one, sign-out, sign-out-all: exactly 1 each; delete account: 2', async () => {
    const user = await signUp();
    const other = (await (
      await api(
        '/api/auth/signin',
        jsonRequest({ email: user.email, password: user.password }, { headers: { 'CF-Connecting-IP': freshIp() } }),
      )
    ).json()) as { sessionId: string; accessToken: string };
    const refresh = await countingStatements(
      '/api/auth/refresh',
      jsonRequest({ refreshToken: user.refreshToken }, { headers: { 'CF-Connecting-IP': freshIp() } }),
    );
    expect(refresh.response.status).toBe(200);
    expect(refresh.statements).toBe(1);
    const { accessToken } = (await refresh.response.json()) as { accessToken: string };
    const auth = bearer(accessToken);
    const cases: [string, string, RequestInit, number][] = [
      ['sessions', '/api/auth/sessions', { headers: auth }, 200],
      ['revoke one', `/api/auth/sessions/${other.sessionId}`, { method: 'DELETE', headers: auth }, 204],
      ['revoke unknown', `/api/auth/sessions/${crypto.randomUUID()}`, { method: 'DELETE', headers: auth }, 404],
      ['signout-all', '/api/auth/signout-all', { method: 'POST', headers: auth }, 204],
      ['dead session', '/api/tasks', { headers: auth }, 401],
    ];
    for (const [name, path, init, status] of cases) {
      const { response, statements } = await countingStatements(path, init);
      expect(response.status, name).toBe(status);
      expect(statements, name).toBe(1);
    }
    const fresh = await signUp();
    const signout = await countingStatements('/api/auth/signout', { method: 'POST', headers: bearer(fresh.token) });
    expect(signout.response.status).toBe(204);
    expect(signout.statements).toBe(1);
    const doomed = await signUp();
    const deletion = await countingStatements(
      '/api/auth/me',
      jsonRequest(
        { password: doomed.password },
        { method: 'DELETE', headers: { ...bearer(doomed.token), 'CF-Connecting-IP': freshIp() } },
      ),
    );
    expect(deletion.response.status).toBe(204);
    expect(deletion.statements).toBe(2);
  });
});
