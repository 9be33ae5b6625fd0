// Idempotency-Key on POST /api/tasks: a retried create never duplicates (API POST /api/tasks).
import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { countingStatements, queryDatabase } from '../support/api.ts';
import { newClient } from '../support/tasks.ts';

const key = () => `key-${crypto.randomUUID()}`;

describe('Idempotency-Key', () => {
  it('same key and body → the first response replayed (status, body, Location), one row — even after the task changed', async () => {
    const client = await newClient();
    const k = key();
    const first = await client.request('POST', '/api/tasks', { title: 'once' }, { 'Idempotency-Key': k });
    expect(first.status).toBe(201);
    const created = (await first.json()) as TaskDto;
    await client.request('PATCH', `/api/tasks/${created.id}`, { title: 'changed since' });

    const retry = await client.request('POST', '/api/tasks', { title: 'once' }, { 'Idempotency-Key': k });
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(created);
    expect(retry.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await queryDatabase('select id from tasks where user_id = $1', [client.userId])).toHaveLength(1);
  });

  it('same key, other body → 422 IDEMPOTENCY_KEY_REUSED and nothing created', async () => {
    const client = await newClient();
    const k = key();
    await client.request('POST', '/api/tasks', { title: 'first' }, { 'Idempotency-Key': k });
    const reused = await client.request('POST', '/api/tasks', { title: 'second' }, { 'Idempotency-Key': k });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
    expect(await queryDatabase('select title from tasks where user_id = $1', [client.userId])).toEqual([
      { title: 'first' },
    ]);
  });

  it('"same body" means the JSON as sent: key order does not matter, normalisation does not hide a difference', async () => {
    const client = await newClient();
    const k = key();
    const first = await client.request(
      'POST',
      '/api/tasks',
      { title: 'a', completed: false },
      { 'Idempotency-Key': k },
    );
    expect(first.status).toBe(201);
    const reordered = await client.request(
      'POST',
      '/api/tasks',
      { completed: false, title: 'a' },
      { 'Idempotency-Key': k },
    );
    expect(reordered.status).toBe(201);
    expect(reordered.headers.get('Idempotent-Replayed')).toBe('true');
    const padded = await client.request(
      'POST',
      '/api/tasks',
      { title: '  a  ', completed: false },
      { 'Idempotency-Key': k },
    );
    expect(padded.status).toBe(422);
    const spaced = await client.request(
      'POST',
      '/api/tasks',
      { title: 'spaces are fine' },
      { 'Idempotency-Key': 'my key 1' },
    );
    expect(spaced.status).toBe(201);
  });

  it('keys are per user: another user with the same key creates their own task', async () => {
    const [a, b] = [await newClient(), await newClient()];
    const k = key();
    const fromA = (await (
      await a.request('POST', '/api/tasks', { title: 'shared key' }, { 'Idempotency-Key': k })
    ).json()) as TaskDto;
    const fromB = await b.request('POST', '/api/tasks', { title: 'shared key' }, { 'Idempotency-Key': k });
    expect(fromB.status).toBe(201);
    expect(((await fromB.json()) as TaskDto).id).not.toBe(fromA.id);
    expect(fromB.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('10 concurrent retries with one key: all 201 with the same task, exactly one row', async () => {
    const client = await newClient();
    const k = key();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.request('POST', '/api/tasks', { title: 'raced' }, { 'Idempotency-Key': k }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(await queryDatabase('select id from tasks where user_id = $1', [client.userId])).toHaveLength(1);
  });

  it.each([
    ['', 'empty'],
    ['k'.repeat(256), '256 characters'],
    ['tab\there', 'a control character'],
  ])('key %#: %s → 400', async (bad) => {
    const client = await newClient();
    const response = await client.request('POST', '/api/tasks', { title: 'x' }, { 'Idempotency-Key': bad });
    expect(response.status).toBe(400);
    expect(await queryDatabase('select id from tasks where user_id = $1', [client.userId])).toHaveLength(0);
  });

  it('one statement per request, first try and replay', async () => {
    const client = await newClient();
    const k = key();
    const init = {
      method: 'POST',
      headers: { Authorization: `Bearer ${client.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': k },
      body: JSON.stringify({ title: 'counted once' }),
    };
    const first = await countingStatements('/api/tasks', init);
    const replay = await countingStatements('/api/tasks', init);
    expect([first.statements, replay.statements]).toEqual([1, 1]);
    expect(await replay.response.json()).toEqual(await first.response.json());
  });

  it('deleting the task forgets its stored response (same statement): a retry then creates anew; other keys stay', async () => {
    const client = await newClient();
    const other = await newClient();
    const [k, kept] = [key(), key()];
    const first = (await (
      await client.request('POST', '/api/tasks', { title: 'gone' }, { 'Idempotency-Key': k })
    ).json()) as TaskDto;
    await client.request('POST', '/api/tasks', { title: 'stays' }, { 'Idempotency-Key': kept });
    await other.request('POST', '/api/tasks', { title: 'gone' }, { 'Idempotency-Key': k });

    const { response, statements } = await countingStatements(`/api/tasks/${first.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${client.token}` },
    });
    expect(response.status).toBe(204);
    expect(statements).toBe(1);
    const left = await queryDatabase<{ key: string }>('select key from idempotency_keys where user_id = $1', [
      client.userId,
    ]);
    expect(left.map((row) => row.key)).toEqual([kept]);
    expect(await queryDatabase('select 1 from idempotency_keys where user_id = $1', [other.userId])).toHaveLength(1);

    const retry = await client.request('POST', '/api/tasks', { title: 'gone' }, { 'Idempotency-Key': k });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull();
    expect(((await retry.json()) as TaskDto).id).not.toBe(first.id);
  });

  it('a replay and a 422 take no id from the sequence; only a real insert does', async () => {
    const client = await newClient();
    const k = key();
    await client.request('POST', '/api/tasks', { title: 'seq' }, { 'Idempotency-Key': k });
    const lastValue = async () =>
      Number((await queryDatabase<{ v: string }>(`select last_value::text as v from tasks_id_seq`))[0].v);
    // Other test files create tasks in parallel, so a window can be noisy; before this change every
    // replay and every 422 took a value, so no window of them could ever show zero advance.
    const advances: number[] = [];
    for (let attempt = 0; attempt < 5 && !advances.includes(0); attempt++) {
      const before = await lastValue();
      for (let i = 0; i < 5; i++) {
        const replay = await client.request('POST', '/api/tasks', { title: 'seq' }, { 'Idempotency-Key': k });
        expect(replay.status).toBe(201);
        const reused = await client.request('POST', '/api/tasks', { title: 'other' }, { 'Idempotency-Key': k });
        expect(reused.status).toBe(422);
      }
      advances.push((await lastValue()) - before);
    }
    expect(advances).toContain(0);
  });

  it('the key is deleted with its user (ON DELETE CASCADE)', async () => {
    const client = await newClient();
    await client.request('POST', '/api/tasks', { title: 'x' }, { 'Idempotency-Key': key() });
    await queryDatabase('delete from users where id = $1', [client.userId]);
    expect(await queryDatabase('select 1 from idempotency_keys where user_id = $1', [client.userId])).toHaveLength(0);
  });
});

describe('expiry', () => {
  it('the hourly cron deletes records older than 24 h and keeps younger ones', async () => {
    const { createExecutionContext, createScheduledController, env, waitOnExecutionContext } = await import(
      'cloudflare:test'
    );
    const worker = (await import('../../../src/index.ts')).default;
    const client = await newClient();
    const [old, fresh] = [key(), key()];
    await client.request('POST', '/api/tasks', { title: 'old' }, { 'Idempotency-Key': old });
    await client.request('POST', '/api/tasks', { title: 'fresh' }, { 'Idempotency-Key': fresh });
    await queryDatabase(`update idempotency_keys set created_at = now() - interval '25 hours' where key = $1`, [old]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env as never, ctx);
    await waitOnExecutionContext(ctx);
    const left = await queryDatabase<{ key: string }>('select key from idempotency_keys where user_id = $1', [
      client.userId,
    ]);
    expect(left.map((row) => row.key)).toEqual([fresh]);
  });
});
