// A database as the pre-accounts app left it: its tasks table and rows, no drizzle journal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { inject } from 'vitest';
import { ROOT } from '../../scripts/lib/migrations.ts';
import { createScratchDatabase, type ScratchDatabase, withClient } from './scratch-database.ts';

export { withClient };

/** Row count and an md5 over the text of every tasks row's pre-accounts columns (optionally filtered). */
export async function tasksChecksum(client: pg.Client, where = 'true') {
  const { rows } = await client.query(
    `select count(*)::int as count,
            md5(coalesce(string_agg(row(id, title, description, completed, created_at, updated_at)::text, '|' order by id), '')) as md5
       from tasks where ${where}`,
  );
  return rows[0] as { count: number; md5: string };
}

export const PRE_ACCOUNTS_SQL = readFileSync(
  join(ROOT, 'drizzle', '0000_tasks_before_accounts.sql'),
  'utf8',
).replaceAll('--> statement-breakpoint', '');

/** A database as the pre-accounts app left it: its tasks table and rows, no drizzle journal. */
export async function createPreAccountsDatabase(label: string, rows: number): Promise<ScratchDatabase> {
  const db = await createScratchDatabase(inject('serverUrl'), label);
  await withClient(db.url, async (client) => {
    await client.query(PRE_ACCOUNTS_SQL);
    await client.query(
      `insert into tasks (title, description, completed, created_at, updated_at)
       select case i % 5
                when 0 then 'Tâche ' || i || ' — 日本語 🧪 '
                when 1 then E'line\\nbreak ' || i
                when 2 then repeat('x', 200)
                when 3 then ''' OR 1=1; -- ' || i
                else 'plain ' || i end,
              case when i % 3 = 0 then null else 'desc ' || i || ' ñ' end,
              i % 2 = 0,
              timestamp '2025-01-01 00:00:00' + i * interval '1 second' + interval '123456 microseconds',
              timestamp '2025-06-01 12:00:00.000001' + i * interval '1 minute'
         from generate_series(1, $1::int) as i`,
      [rows],
    );
  });
  return db;
}
