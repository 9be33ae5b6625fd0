// How long does migration 0001 block writes to a populated `tasks` table? Applies it to 200k
// pre-accounts rows while a writer keeps inserting, and reports the longest wait the writer saw.
// The number is printed, not asserted (it depends on the machine); what is asserted is that every
// write succeeded and every row survived.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrationFiles, ROOT } from '../../scripts/lib/migrations.ts';
import { createPreAccountsDatabase, tasksChecksum, withClient } from '../support/pre-accounts.ts';

const run = promisify(execFile);
const ROWS = Number(process.env.MIGRATION_LOCK_ROWS ?? 200_000);

describe('migration 0001 on a live, populated table', () => {
  it(`keeps every row and every concurrent write (${ROWS} rows), and reports how long writes were blocked`, async () => {
    const db = await createPreAccountsDatabase('locks', ROWS);
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    try {
      const before = await withClient(db.url, tasksChecksum);
      let writing = true;
      const latencies: number[] = [];
      const writes = (async () => {
        while (writing) {
          const started = performance.now();
          await writer.query(
            `insert into tasks (title, created_at, updated_at) values ('written during migration', now(), now())`,
          );
          latencies.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const migrationStarted = performance.now();
      await run('npm', ['run', '--silent', 'db:migrate'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url } });
      const migrationMs = performance.now() - migrationStarted;
      await new Promise((resolve) => setTimeout(resolve, 200));
      writing = false;
      await writes;

      const longest = Math.max(...latencies);
      // Straight to stdout: vitest silences console output of passing tests, and this number is the point.
      process.stdout.write(
        `migration 0001 on ${ROWS} rows took ${migrationMs.toFixed(0)} ms (including drizzle-kit start-up); ` +
          `the longest a concurrent INSERT into tasks waited was ${longest.toFixed(0)} ms over ${latencies.length} writes\n`,
      );
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(
          `select count(*)::int as n from tasks where title = 'written during migration'`,
        );
        expect(rows[0].n).toBe(latencies.length);
        const kept = await tasksChecksum(client, "title <> 'written during migration'");
        expect(kept).toEqual(before);
        const journal = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
        expect(journal.rows[0].n).toBe(migrationFiles().length);
      });
    } finally {
      await writer.end();
      await db.drop();
    }
  });
});
