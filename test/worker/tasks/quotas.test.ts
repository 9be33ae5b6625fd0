// Per-account quotas on tasks: writes per minute (a rate limit keyed on the user, whatever the network)
// and tasks per account (TASKS_PER_USER_MAX, checked inside the create's one statement).
import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { apiWith, countingStatements, queryDatabase } from '../support/api.ts';
import { bearer } from '../support/auth.ts';
import { newClient } from '../support/tasks.ts';

type Overrides = Parameters<typeof apiWith>[0];

function send(overrides: Overrides, token: string, method: string, path: string, body?: unknown, headers = {}) {
  return apiWith(overrides, path, {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const taskCount = async (userId: string) =>
  (await queryDatabase<{ n: number }>('select count(*)::int as n from tasks where user_id = $1', [userId]))[0].n;

describe('task writes per account', () => {
  it('POST, PATCH, PUT, DELETE and the toggle over the limit: 429 RATE_LIMITED with Retry-After, before any query; reads are not limited', async () => {
    const client = await newClient();
    const task = await client.create();
    const keys: string[] = [];
    const refusing = {
      limit: async ({ key }: { key: string }) => {
        keys.push(key);
        return { success: false };
      },
    };
    const overrides = { TASK_WRITE_RATE_LIMITER: refusing };
    const writes: [string, string, unknown][] = [
      ['POST', '/api/tasks', { title: 'one too many' }],
      ['PATCH', `/api/tasks/${task.id}`, { title: 'one too many' }],
      ['PUT', `/api/tasks/${task.id}`, { title: 'one too many', description: null, completed: true }],
      ['PATCH', `/api/tasks/${task.id}/complete`, undefined],
      ['DELETE', `/api/tasks/${task.id}`, undefined],
    ];
    for (const [method, path, body] of writes) {
      const { response, statements } = await countingStatements(
        path,
        {
          method,
          headers: { ...bearer(client.token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
        overrides,
      );
      expect(response.status, `${method} ${path}`).toBe(429);
      expect(response.headers.get('Retry-After'), `${method} ${path}`).toBe('60');
      expect(await response.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      expect(statements, `${method} ${path}`).toBe(0);
    }
    // Keyed on the account, whatever the network.
    expect(new Set(keys)).toEqual(new Set([`tasks:${client.userId}`]));
    expect(keys).toHaveLength(writes.length);
    // Nothing was written, and reading is not a write.
    const read = await send(overrides, client.token, 'GET', `/api/tasks/${task.id}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as TaskDto).title).toBe(task.title);
    expect((await send(overrides, client.token, 'GET', '/api/tasks')).status).toBe(200);
    expect(await taskCount(client.userId)).toBe(1);
  });

  it('without its binding, task writes refuse to serve (500 CONFIG_INVALID), never unprotected', async () => {
    const client = await newClient();
    const response = await send({ TASK_WRITE_RATE_LIMITER: undefined }, client.token, 'POST', '/api/tasks', {
      title: 'unprotected?',
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await taskCount(client.userId)).toBe(0);
  });
});

describe('tasks per account (TASKS_PER_USER_MAX)', () => {
  const LIMITED = { TASKS_PER_USER_MAX: '3' };

  it('at the limit a create is 403 QUOTA_EXCEEDED in one statement, nothing written; deleting one makes room', async () => {
    const client = await newClient();
    const created: TaskDto[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await send(LIMITED, client.token, 'POST', '/api/tasks', { title: `t${i}` });
      expect(response.status).toBe(201);
      created.push((await response.json()) as TaskDto);
    }
    const { response, statements } = await countingStatements(
      '/api/tasks',
      {
        method: 'POST',
        headers: { ...bearer(client.token), 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'the fourth' }),
      },
      LIMITED,
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 403 });
    expect(statements).toBe(1);
    expect(await taskCount(client.userId)).toBe(3);
    // Another account has its own quota.
    const other = await newClient();
    expect((await send(LIMITED, other.token, 'POST', '/api/tasks', { title: 'mine' })).status).toBe(201);
    // Changing a task at the limit is fine; deleting one makes room for one more.
    expect((await send(LIMITED, client.token, 'PATCH', `/api/tasks/${created[0].id}`, { title: 'x' })).status).toBe(
      200,
    );
    expect((await send(LIMITED, client.token, 'DELETE', `/api/tasks/${created[0].id}`)).status).toBe(204);
    expect((await send(LIMITED, client.token, 'POST', '/api/tasks', { title: 'room again' })).status).toBe(201);
    expect((await send(LIMITED, client.token, 'POST', '/api/tasks', { title: 'full again' })).status).toBe(403);
  });

  it('with an Idempotency-Key: a new key at the limit is 403 and claims nothing; a retry of an earlier create still replays', async () => {
    const client = await newClient();
    const first = await send(
      LIMITED,
      client.token,
      'POST',
      '/api/tasks',
      { title: 'first' },
      { 'Idempotency-Key': 'k1' },
    );
    expect(first.status).toBe(201);
    for (let i = 0; i < 2; i++) {
      expect((await send(LIMITED, client.token, 'POST', '/api/tasks', { title: `t${i}` })).status).toBe(201);
    }
    const refused = await send(
      LIMITED,
      client.token,
      'POST',
      '/api/tasks',
      { title: 'new' },
      { 'Idempotency-Key': 'k2' },
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(
      await queryDatabase('select key from idempotency_keys where user_id = $1 order by key', [client.userId]),
    ).toEqual([{ key: 'k1' }]);
    const replay = await send(
      LIMITED,
      client.token,
      'POST',
      '/api/tasks',
      { title: 'first' },
      { 'Idempotency-Key': 'k1' },
    );
    expect(replay.status).toBe(201);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await taskCount(client.userId)).toBe(3);
  });

  it('the default is 100000, and the setting must be a whole number from 1 up', async () => {
    const { configProblems, loadConfig } = await import('../../../src/config.ts');
    const base = { APP_ENV: 'test', BETTER_AUTH_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://u@h/db' };
    expect(loadConfig({ ...base }).TASKS_PER_USER_MAX).toBe(100_000);
    expect(loadConfig({ ...base, TASKS_PER_USER_MAX: '250' }).TASKS_PER_USER_MAX).toBe(250);
    for (const bad of ['0', '-1', '2.5', 'many']) {
      expect(configProblems({ ...base, TASKS_PER_USER_MAX: bad }).join(), bad).toMatch(/^TASKS_PER_USER_MAX /);
    }
  });
});
