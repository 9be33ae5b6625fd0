// The Worker's database client: Neon's HTTP path for every query, the WebSocket Pool only for an
// interactive transaction, and how a failed request to the proxy is told apart from a bad query.
import { env } from 'cloudflare:test';
import { NeonDbError } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase, createTransactionalDatabase, DatabaseHttpError } from '../../../src/db/client.ts';
import { isDatabaseUnavailable } from '../../../src/db/errors.ts';
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

describe('database client (WebSocket session, for interactive transactions)', () => {
  it('runs an interactive transaction and rolls it back on error', async () => {
    const title = `tx-${crypto.randomUUID()}`;
    const { db, close } = createTransactionalDatabase(config());
    try {
      await expect(
        db.transaction(async (tx) => {
          const [row] = await tx.insert(tasks).values({ title }).returning({ id: tasks.id });
          expect(row.id).toBeGreaterThan(0);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
    } finally {
      await close();
    }
    expect(await queryDatabase('select id from tasks where title = $1', [title])).toEqual([]);
  });
});
