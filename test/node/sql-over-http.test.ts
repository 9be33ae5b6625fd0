// The local SQL-over-HTTP endpoint (tools/local-platform/sql-over-http.ts) driven by the real driver:
// `neon()` from @neondatabase/serverless and drizzle-orm/neon-http, with `neonConfig.fetchEndpoint`
// pointed at it, on a scratch database of the test server.

import { request as httpRequest } from 'node:http';
import { NeonDbError, neon, neonConfig } from '@neondatabase/serverless';
import { sql as drizzleSql, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { bigint, boolean, pgTable, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { startSqlOverHttpProcess } from '../../tools/local-platform/sql-over-http-process.ts';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.ts';

const things = pgTable('things', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 100 }).notNull().unique('ux_things_name'),
  note: text('note'),
  done: boolean('done').notNull().default(false),
  big: bigint('big', { mode: 'bigint' }),
  at: timestamp('at', { mode: 'string' }),
  atZone: timestamp('at_zone', { withTimezone: true, mode: 'string' }),
});

const endpoint = inject('sqlEndpoint');
let scratch: ScratchDatabase;
/** The scratch database's URL with an application_name, for counting its statements. */
let urlNamed: (application: string) => string;

beforeAll(async () => {
  neonConfig.fetchEndpoint = endpoint;
  scratch = await createScratchDatabase(inject('serverUrl'), 'http');
  urlNamed = (application) => {
    const url = new URL(scratch.url);
    url.searchParams.set('application_name', application);
    return url.toString();
  };
  await neon(scratch.url).query(`create table things (
    id serial primary key,
    name varchar(100) not null constraint ux_things_name unique,
    note text,
    done boolean not null default false,
    big bigint,
    at timestamp,
    at_zone timestamptz
  )`);
});

afterAll(async () => {
  await scratch?.drop();
});

async function statements(application: string): Promise<number> {
  const response = await fetch(new URL(`/statements?application_name=${application}`, endpoint));
  return ((await response.json()) as { statements: number }).statements;
}

describe('the protocol, as Neon’s proxy speaks it', () => {
  it('returns Postgres text, fields and the command tag; rows as arrays', async () => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Neon-Connection-String': scratch.url.replace(/^postgres:/, 'postgresql:'),
        'Neon-Raw-Text-Output': 'true',
        'Neon-Array-Mode': 'true',
      },
      body: JSON.stringify({
        query: `select $1::timestamptz as tz, $2::timestamp as ts, $3::int8 as big, $4::bool as yes, null::text as nothing`,
        params: ['2026-01-02 03:04:05.123456+00', '2026-01-02 03:04:05.654321', '9007199254740993', 't'],
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      command: 'SELECT',
      rowCount: 1,
      rowAsArray: true,
      rows: [['2026-01-02 03:04:05.123456+00', '2026-01-02 03:04:05.654321', '9007199254740993', 't', null]],
    });
    expect((body.fields as { name: string; dataTypeID: number; format: string }[]).map((f) => f.dataTypeID)).toEqual([
      1184, 1114, 20, 16, 25,
    ]);
    expect(Object.keys((body.fields as object[])[0]).sort()).toEqual(
      ['name', 'dataTypeID', 'tableID', 'columnID', 'dataTypeSize', 'dataTypeModifier', 'format'].sort(),
    );
  });

  it('answers 400 to a body that is not a query, 404 elsewhere', async () => {
    const headers = { 'Neon-Connection-String': scratch.url, 'Neon-Raw-Text-Output': 'true' };
    const bad = await fetch(endpoint, { method: 'POST', headers, body: '{"nope":1}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/query/);
    expect((await fetch(new URL('/elsewhere', endpoint), { method: 'POST' })).status).toBe(404);
  });

  it('refuses web pages: an Origin, Sec-Fetch-*, a foreign Host (DNS rebinding) or port is 403 and runs nothing', async () => {
    const headers = { 'Neon-Connection-String': scratch.url, 'Neon-Raw-Text-Output': 'true' };
    const body = JSON.stringify({ query: 'select 1 as one', params: [] });
    const fromPage = await fetch(endpoint, {
      method: 'POST',
      headers: { ...headers, Origin: 'https://evil.example' },
      body,
    });
    expect(fromPage.status).toBe(403);
    const raw = (extra: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(endpoint);
        const request = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, ...extra } },
          (response) => resolve(response.statusCode ?? 0),
        );
        request.on('error', reject);
        request.end(body);
      });
    const { port } = new URL(endpoint);
    expect(await raw({ Host: 'evil.example' })).toBe(403);
    expect(await raw({ Host: `evil.example:${port}` })).toBe(403);
    expect(await raw({ Host: `127.0.0.1:${Number(port) + 1}` })).toBe(403);
    expect(await raw({ 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' })).toBe(403);
    expect(await raw({ Host: `localhost:${port}` })).toBe(200); // a control: loopback by another name
    const local = await fetch(endpoint, { method: 'POST', headers, body });
    expect(local.status).toBe(200); // a control: the same request from a local program runs
  });
});

describe('neon() against the endpoint', () => {
  it('round-trips types: timestamps to the microsecond, nulls, bigint, booleans, unicode, json, arrays', async () => {
    const sql = neon(scratch.url);
    const [row] = await sql.query(
      `select $1::text as unicode, $2::int8 as big, true as yes, false as no, null::int as nothing,
              $3::timestamptz::text as tz_text, $4::timestamp::text as ts_text,
              '{"a":[1,2]}'::jsonb as doc, array[1,2,3]::int[] as ints, 1.5::numeric as num`,
      [
        'héllo – 日本語 🎉 "quoted" \\ back',
        '9223372036854775807',
        '2026-01-02 03:04:05.123456+00',
        '2026-01-02 03:04:05.000001',
      ],
    );
    expect(row).toEqual({
      unicode: 'héllo – 日本語 🎉 "quoted" \\ back',
      big: '9223372036854775807', // int8 stays a string: no precision lost
      yes: true,
      no: false,
      nothing: null,
      tz_text: '2026-01-02 03:04:05.123456+00',
      ts_text: '2026-01-02 03:04:05.000001',
      doc: { a: [1, 2] },
      ints: [1, 2, 3],
      num: '1.5',
    });
  });

  it('reports a unique violation as NeonDbError with code 23505 and the constraint', async () => {
    const sql = neon(scratch.url);
    await sql`insert into things (name) values ('unique-once')`;
    const error = await sql`insert into things (name) values ('unique-once')`.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({
      code: '23505',
      constraint: 'ux_things_name',
      table: 'things',
      schema: 'public',
      severity: 'ERROR',
      detail: 'Key (name)=(unique-once) already exists.',
    });
  });

  it('runs one statement per query, like Neon (no multi-statement strings)', async () => {
    const error = await neon(scratch.url)
      .query('select 1; select 2')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '42601' });
  });

  it('runs a batch in one transaction: a failing second query leaves nothing of the first', async () => {
    const sql = neon(scratch.url);
    await sql`insert into things (name) values ('batch-taken')`;
    const failed = await sql
      .transaction([
        sql`insert into things (name) values ('batch-first')`,
        sql`insert into things (name) values ('batch-taken')`,
      ])
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: '23505' });
    expect(await sql`select count(*)::int as n from things where name = 'batch-first'`).toEqual([{ n: 0 }]);

    const [, second] = await sql.transaction([
      sql`insert into things (name) values ('batch-a')`,
      sql`insert into things (name) values ('batch-b') returning name`,
    ]);
    expect(second).toEqual([{ name: 'batch-b' }]);
  });

  it('honours the batch isolation level, read-only and deferrable settings', async () => {
    const sql = neon(scratch.url);
    const [[isolation], [readOnly], [deferrable]] = await sql.transaction(
      [sql`show transaction_isolation`, sql`show transaction_read_only`, sql`show transaction_deferrable`],
      { isolationLevel: 'Serializable', readOnly: true, deferrable: true },
    );
    expect([isolation, readOnly, deferrable]).toEqual([
      { transaction_isolation: 'serializable' },
      { transaction_read_only: 'on' },
      { transaction_deferrable: 'on' },
    ]);
    const write = await sql
      .transaction([sql`insert into things (name) values ('read-only')`], { readOnly: true })
      .catch((e: unknown) => e);
    expect(write).toMatchObject({ code: '25006' });
  });

  it('refuses a connection string naming a host that is not loopback', async () => {
    const error = await neon('postgresql://postgres:postgres@db.example.com:5432/postgres')`select 1`.catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NeonDbError);
    expect((error as Error).message).toMatch(/only local database hosts/);
  });

  it('answers 500 at once when Postgres cannot be reached', async () => {
    const url = new URL(scratch.url);
    url.port = String(await freePort());
    const started = performance.now();
    const error = await neon(url.toString())`select 1`.catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(NeonDbError);
    expect((error as Error).message).toMatch(/^Server error \(HTTP status 500\)/);
  });

  it('counts statements per application_name (a batch adds BEGIN and COMMIT)', async () => {
    const application = `count-${crypto.randomUUID()}`;
    const sql = neon(urlNamed(application));
    await sql`select 1`;
    expect(await statements(application)).toBe(1);
    await sql.transaction([sql`select 1`, sql`select 2`]);
    expect(await statements(application)).toBe(1 + 4);
  });
});

describe('drizzle-orm/neon-http against the endpoint', () => {
  it('inserts and reads back every column type, microseconds kept', async () => {
    const db = drizzle({ client: neon(scratch.url) });
    const values = {
      name: 'drizzle ✓',
      note: null,
      done: true,
      big: 9007199254740993n,
      at: '2026-03-04 05:06:07.891011',
      atZone: '2026-03-04 05:06:07.891011+00',
    };
    const [inserted] = await db.insert(things).values(values).returning();
    expect(inserted).toMatchObject(values);
    const [read] = await db.select().from(things).where(eq(things.id, inserted.id));
    expect(read).toEqual(inserted);
    const { rows } = await db.execute(drizzleSql`select name from ${things} where ${things.id} = ${inserted.id}`);
    expect(rows).toEqual([{ name: 'drizzle ✓' }]);
  });

  it('surfaces 23505 with the constraint in the cause', async () => {
    const db = drizzle({ client: neon(scratch.url) });
    await db.insert(things).values({ name: 'drizzle-dup' });
    const error = await db
      .insert(things)
      .values({ name: 'drizzle-dup' })
      .catch((e: unknown) => e);
    expect((error as { cause?: unknown }).cause).toMatchObject({ code: '23505', constraint: 'ux_things_name' });
  });

  it('db.batch is one transaction', async () => {
    const db = drizzle({ client: neon(scratch.url) });
    await db.insert(things).values({ name: 'drizzle-batch-taken' });
    const failed = await db
      .batch([
        db.insert(things).values({ name: 'drizzle-batch-1' }),
        db.insert(things).values({ name: 'drizzle-batch-taken' }),
      ])
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(await db.select().from(things).where(eq(things.name, 'drizzle-batch-1'))).toEqual([]);
  });
});

// tools/local-platform/sql-over-http-main.ts, as npm run bench starts it.
describe('the endpoint in a process of its own (used by npm run bench)', () => {
  it('serves the driver from another process and stops when closed', async () => {
    const server = await startSqlOverHttpProcess();
    const alive = () => {
      try {
        process.kill(server.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      expect(server.pid).not.toBe(process.pid);
      neonConfig.fetchEndpoint = server.endpoint;
      expect(await neon(scratch.url).query('select 41 + 1 as answer')).toEqual([{ answer: 42 }]);
    } finally {
      neonConfig.fetchEndpoint = endpoint;
      await server.close();
    }
    expect(alive()).toBe(false);
  });
});
