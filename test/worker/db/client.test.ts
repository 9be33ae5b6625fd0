// The Worker's database client: Neon's HTTP path for every query, and how a failed request to the proxy
// is told apart from a bad query; atomic multi-statement writes over the same HTTP path.
import { env } from 'cloudflare:test';
import { NeonDbError } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase, DatabaseHttpError } from '../../../src/db/client.ts';
import { isDatabaseUnavailable, sqlState } from '../../../src/db/errors.ts';
import { tasks } from '../../../src/db/schema.ts';
import { queryDatabase, UNREACHABLE_DATABASE_URL } from '../support/api.ts';

const config = () => loadConfig(env as Bindings);

/** What a query through the Worker's client throws, given a DATABASE_URL. */
async function failureOf(databaseUrl: string, query = sql`select 1`): Promise<unknown> {
  const db = createDatabase({ ...config(), DATABASE_URL: databaseUrl });
  return db.execute(query).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('database client (HTTP path)', () => {
  it('one client per DATABASE_URL per isolate; results have rows and rowCount', async () => {
    expect(createDatabase(config())).toBe(createDatabase(config()));
    const result = await createDatabase(config()).execute(sql`select 1 as one`);
    expect(result.rows).toEqual([{ one: 1 }]);
    expect(result.rowCount).toBe(1);
  });

  it('a database that cannot be reached is "unavailable", via the fetch error the driver keeps', async () => {
    const error = await failureOf(UNREACHABLE_DATABASE_URL);
    const neonError = (error as { cause?: unknown }).cause;
    expect(neonError).toBeInstanceOf(NeonDbError);
    expect((neonError as NeonDbError).sourceError).toBeInstanceOf(DatabaseHttpError);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('the proxy itself unreachable (connection refused) is "unavailable"', async () => {
    // Nothing listens on port 9: workerd reports "Network connection lost."; the driver keeps it as sourceError.
    const db = createDatabase({ ...config(), LOCAL_DB_HTTP: '127.0.0.1:9' });
    try {
      const error = await db.execute(sql`select 1`).catch((e: unknown) => e);
      const neonError = (error as { cause?: unknown }).cause as NeonDbError;
      expect(neonError).toBeInstanceOf(NeonDbError);
      expect(neonError.message).toMatch(/^Error connecting to database/);
      expect(neonError.sourceError).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      createDatabase(config()); // back to the test endpoint
    }
  });

  it('a bad query is not "unavailable", whatever its text says', async () => {
    const error = await failureOf(
      (env as Bindings).DATABASE_URL as string,
      sql`select ${'network socket closed timeout'}::int`,
    );
    expect(isDatabaseUnavailable(error)).toBe(false);
    const duplicate = await failureOf(
      (env as Bindings).DATABASE_URL as string,
      sql`insert into ${tasks} (id, title) values (-1, 'x'), (-1, 'x')`,
    );
    expect((duplicate as { cause?: { code?: string } }).cause?.code).toBe('23505');
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
  });
});

describe('database client (atomic writes without a WebSocket session)', () => {
  it('db.batch runs its statements in one transaction: a failing one rolls back the others', async () => {
    const title = `batch-${crypto.randomUUID()}`;
    const db = createDatabase(config());
    const failure = await db
      .batch([db.insert(tasks).values({ title }), db.execute(sql`select 1 / 0`)])
      .catch((error: unknown) => error);
    expect(sqlState(failure)).toBe('22012'); // division_by_zero
    expect(await queryDatabase('select id from tasks where title = $1', [title])).toEqual([]);
  });
});
