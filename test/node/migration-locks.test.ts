// How long do the migrations block writes to a populated `tasks` table? Each case applies migrations to
// 200k pre-accounts rows while a writer keeps inserting, and reports the longest wait the writer saw.
// The numbers are printed, not asserted (they depend on the machine); what is asserted is that every
// write succeeded (none hit the 5 s lock_timeout) and every row survived.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrationFiles, ROOT } from '../../scripts/lib/migrations.ts';
import { createPreAccountsDatabase, tasksChecksum, withClient } from '../support/pre-accounts.ts';

const run = promisify(execFile);
const ROWS = Number(process.env.MIGRATION_LOCK_ROWS ?? 200_000);

function npmRun(script: string, url: string) {
  return run('npm', ['run', '--silent', script], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } });
}

/** Runs `migration` while a writer inserts into tasks every 5 ms; returns the writer's latencies. */
async function whileWriting(url: string, migration: () => Promise<unknown>) {
  const writer = new pg.Client({ connectionString: url });
  await writer.connect();
  try {
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
    const started = performance.now();
    await migration();
    const migrationMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));
    writing = false;
    await writes;
    return { migrationMs, latencies, longest: Math.max(...latencies) };
  } finally {
    await writer.end();
  }
}

async function expectKept(url: string, before: { count: number; md5: string }, written: number) {
  await withClient(url, async (client) => {
    const { rows } = await client.query(
      `select count(*)::int as n from tasks where title = 'written during migration'`,
    );
    expect(rows[0].n).toBe(written);
    expect(await tasksChecksum(client, "title <> 'written during migration'")).toEqual(before);
    const journal = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(journal.rows[0].n).toBe(migrationFiles().length);
  });
}

describe('migrations on a live, populated table', () => {
  it(`the whole upgrade from pre-accounts (0001–latest) keeps every row and every concurrent write (${ROWS} rows)`, async () => {
    const db = await createPreAccountsDatabase('locks', ROWS);
    try {
      const before = await withClient(db.url, tasksChecksum);
      const { migrationMs, latencies, longest } = await whileWriting(db.url, () => npmRun('db:migrate', db.url));
      // Straight to stdout: vitest silences console output of passing tests, and this number is the point.
      process.stdout.write(
        `upgrade 0001–${String(migrationFiles().length - 1).padStart(4, '0')} on ${ROWS} rows took ${migrationMs.toFixed(0)} ms (including drizzle-kit start-up); ` +
          `the longest a concurrent INSERT into tasks waited was ${longest.toFixed(0)} ms over ${latencies.length} writes\n`,
      );
      await expectKept(db.url, before, latencies.length);
    } finally {
      await db.drop();
    }
  });

  it(`0005–0006 (ids to bigint) alone: every row and every concurrent write kept (${ROWS} rows)`, async () => {
    const db = await createPreAccountsDatabase('locks64', ROWS);
    try {
      await npmRun('db:migrate', db.url);
      // Back to 0004 with the tested rollbacks, then measure 0005 and 0006 (and 0007–0014: new tables,
      // nullable columns, a check on users, columns with a constant default, the change sequence, live_until) being applied.
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0014_live_until/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0013_number_existing_tasks/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0012_change_sequence/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0011_credential_version/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0010_users_email_with_password/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0009_external_identities/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0008_retired_refresh_tokens/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0007_email_tokens/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0006_task_id_sequence_bigint/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0005_bigint_task_ids/);
      await withClient(db.url, (client) => client.query('vacuum analyze tasks'));
      const before = await withClient(db.url, tasksChecksum);
      const { migrationMs, latencies, longest } = await whileWriting(db.url, () => npmRun('db:migrate', db.url));
      process.stdout.write(
        `migration 0005–0006 (tasks.id to bigint, a table rewrite) on ${ROWS} rows took ${migrationMs.toFixed(0)} ms ` +
          `(including drizzle-kit start-up); the longest a concurrent INSERT into tasks waited was ${longest.toFixed(0)} ms ` +
          `over ${latencies.length} writes\n`,
      );
      expect(longest).toBeLessThan(5000);
      await expectKept(db.url, before, latencies.length);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(
          `select data_type from information_schema.columns where table_name = 'tasks' and column_name = 'id'`,
        );
        expect(rows[0].data_type).toBe('bigint');
      });
    } finally {
      await db.drop();
    }
  });
});
