// Listing: filters, order, limits, opaque cursors, paging under concurrent inserts, and the plan
// (API GET /api/tasks; SECURITY E30).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { toUserId } from '../../../src/auth/user-id.ts';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/db/client.ts';
import { listTasksStatement } from '../../../src/tasks/repository.ts';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { queryDatabase } from '../support/api.ts';
import { type Client, newClient } from '../support/tasks.ts';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The node type of the closest Limit or Sort above the index scan on ix_tasks_user_created. */
function nearestAboveScan(explained: unknown): string | undefined {
  const walk = (node: PlanNode, above: string | undefined): string | undefined => {
    if (node['Index Name'] === 'ix_tasks_user_created') return above ?? 'none';
    const here = node['Node Type'] === 'Limit' || node['Node Type'] === 'Sort' ? node['Node Type'] : above;
    for (const child of node.Plans ?? []) {
      const found = walk(child, here);
      if (found) return found;
    }
    return undefined;
  };
  return walk((explained as [{ Plan: PlanNode }])[0].Plan, undefined);
}

interface Page {
  items: TaskDto[];
  nextCursor: string | null;
}

async function page(client: Client, query: string): Promise<Page> {
  const response = await client.request('GET', `/api/tasks${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

async function walk(client: Client, params: string, onEachPage?: (index: number) => Promise<void>): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  let index = 0;
  do {
    const result: Page = await page(client, `?${params}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    ids.push(...result.items.map((task) => task.id));
    cursor = result.nextCursor;
    await onEachPage?.(index++);
  } while (cursor);
  return ids;
}

/** Tasks for a user with chosen creation times (microseconds, exact ties) straight into the table. */
async function seedTasks(userId: string, createdAt: string[]): Promise<number[]> {
  // tasks.id is bigint: the driver returns int8 as text.
  const rows = await queryDatabase<{ id: string }>(
    `insert into tasks (title, user_id, created_at, updated_at)
     select 'seeded ' || ord, $1, t::timestamp, t::timestamp from unnest($2::text[]) with ordinality as s(t, ord)
     returning id`,
    [userId, createdAt],
  );
  return rows.map((row) => Number(row.id));
}

describe('GET /api/tasks', () => {
  it('newest first by default, 20 per page, nextCursor until the end; asc reverses', async () => {
    const client = await newClient();
    const created: TaskDto[] = [];
    for (let i = 0; i < 25; i++) created.push(await client.create({ title: `t${i}` }));
    const first = await page(client, '');
    expect(first.items).toHaveLength(20);
    expect(first.items.map((task) => task.title)).toEqual(
      created
        .slice(5)
        .reverse()
        .map((task) => task.title),
    );
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await page(client, `?cursor=${encodeURIComponent(first.nextCursor as string)}`);
    expect(second.items.map((task) => task.title)).toEqual(['t4', 't3', 't2', 't1', 't0']);
    expect(second.nextCursor).toBeNull();
    expect(await walk(client, 'order=asc&limit=7')).toEqual(created.map((task) => task.id));
  });

  it('status filter: pending and completed', async () => {
    const client = await newClient();
    const done = await client.create({ title: 'done', completed: true });
    const open = await client.create({ title: 'open' });
    expect((await page(client, '?status=completed')).items.map((task) => task.id)).toEqual([done.id]);
    expect((await page(client, '?status=pending')).items.map((task) => task.id)).toEqual([open.id]);
    expect((await page(client, '?status=all')).items).toHaveLength(2);
    expect((await client.request('GET', '/api/tasks?status=finished')).status).toBe(400);
  });

  it.each(['0', '101', '-1', 'abc', '1.5', '', '1e2'])('limit=%j → 400', async (limit) => {
    const client = await newClient();
    const response = await client.request('GET', `/api/tasks?limit=${limit}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'limit' }] });
  });

  it('limit 1 and 100 are accepted; unknown query parameters are ignored', async () => {
    const client = await newClient();
    await client.create();
    expect((await page(client, '?limit=1')).items).toHaveLength(1);
    expect((await page(client, '?limit=100&unknown=1&access_token=x')).items).toHaveLength(1);
  });

  it('a tampered, foreign-order or garbage cursor → 400, never 500', async () => {
    const client = await newClient();
    for (let i = 0; i < 3; i++) await client.create();
    const { nextCursor } = await page(client, '?limit=1');
    const cursor = nextCursor as string;
    const flipped = `${cursor.slice(0, 3)}${cursor[3] === 'A' ? 'B' : 'A'}${cursor.slice(4)}`;
    const [payload, mac] = cursor.split('.');
    const forgedPayload = btoa(atob(payload.replaceAll('-', '+').replaceAll('_', '/')).replace(/\|\d+$/, '|1'))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '');
    for (const bad of [
      flipped,
      `${forgedPayload}.${mac}`,
      'garbage',
      '',
      '....',
      'x'.repeat(600),
      `${cursor}.extra`,
      '%00',
    ]) {
      const response = await client.request('GET', `/api/tasks?limit=1&cursor=${encodeURIComponent(bad)}`);
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect((await client.request('GET', `/api/tasks?order=asc&cursor=${encodeURIComponent(cursor)}`)).status).toBe(400);
    // Another user's session cannot read the first user's list through a cursor: it only positions.
    const other = await newClient();
    expect(await page(other, `?cursor=${encodeURIComponent(cursor)}`)).toEqual({ items: [], nextCursor: null });
  });

  it('pages exactly through microsecond times and identical timestamps (ties broken by id)', async () => {
    const client = await newClient();
    const ids = await seedTasks(client.userId, [
      '2026-01-01 10:00:00.123456',
      '2026-01-01 10:00:00.123457',
      '2026-01-01 10:00:00.123457',
      '2026-01-01 10:00:00.123999',
      '2026-01-01 10:00:00.1234',
      '2026-01-01 10:00:00',
      '2026-01-01 10:00:00.123457',
    ]);
    const expectedAsc = [ids[5], ids[4], ids[0], ids[1], ids[2], ids[6], ids[3]];
    expect(await walk(client, 'order=asc&limit=1')).toEqual(expectedAsc);
    expect(await walk(client, 'order=desc&limit=2')).toEqual([...expectedAsc].reverse());
    const shown = (await page(client, '?order=asc&limit=1')).items[0];
    expect(shown.createdAt).toBe('2026-01-01T10:00:00.000Z');
  });

  it('paging while tasks are inserted neither skips nor repeats a task', async () => {
    const client = await newClient();
    const original: number[] = [];
    for (let i = 0; i < 12; i++) original.push((await client.create({ title: `o${i}` })).id);
    for (const order of ['desc', 'asc']) {
      const inserted: number[] = [];
      const seen = await walk(client, `order=${order}&limit=3`, async () => {
        inserted.push((await client.create({ title: 'during' })).id);
      });
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of original) expect(seen).toContain(id);
      const seenOriginal = seen.filter((id) => original.includes(id));
      expect(seenOriginal).toEqual(order === 'desc' ? [...original].reverse() : original);
      original.push(...inserted);
    }
  });

  it('the listing statement, with a cursor, is an index scan on ix_tasks_user_created with no Sort (100k rows, many users)', async () => {
    await queryDatabase(
      `insert into users (id, email, password_hash)
       select gen_random_uuid(), 'plan-' || i || '-' || md5(random()::text) || '@x.test', $1 from generate_series(1, 400) i`,
      [`$2b$04$${'p'.repeat(53)}`],
    );
    await queryDatabase(
      `insert into tasks (title, user_id, created_at, updated_at)
       select 'p' || i, u.id, timestamp '2026-01-01' + i * interval '1 second', timestamp '2026-01-01'
         from generate_series(1, 100000) i
         join (select id, row_number() over (order by id) - 1 as n from users where email like 'plan-%') u on u.n = i % 400`,
    );
    await queryDatabase('analyze tasks');
    const [{ id: userId }] = await queryDatabase<{ id: string }>(
      `select id from users where email like 'plan-%' order by id limit 1`,
    );
    const db = createDatabase(loadConfig(env as Bindings));
    for (const order of ['desc', 'asc'] as const) {
      for (const status of ['all', 'pending'] as const) {
        const caller = { userId: toUserId(userId), sessionId: crypto.randomUUID() };
        const query = listTasksStatement(db, caller, {
          status,
          order,
          limit: 20,
          cursor: { createdAt: '2026-01-01 12:00:00.5', id: 5000, order },
        });
        const [row] = await queryDatabase<{ 'QUERY PLAN': unknown }>(
          `explain (format json) ${query.sql}`,
          query.params,
        );
        const plan = JSON.stringify(row['QUERY PLAN']);
        expect(plan, `${order} ${status}`).toContain('"Index Name":"ix_tasks_user_created"');
        // The user's tasks are never sorted: the nearest Limit or Sort above the index scan is the
        // Limit (a Sort, if any, orders only the page of ≤ limit + 1 rows above it).
        expect(nearestAboveScan(row['QUERY PLAN']), `${order} ${status}`).toBe('Limit');
        expect(plan, `${order} ${status}`).toContain('"Index Cond"');
      }
    }
  });
});
