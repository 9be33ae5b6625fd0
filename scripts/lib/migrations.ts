// Migration plumbing around drizzle-kit: adopting a database made before drizzle-kit managed it,
// running `drizzle-kit migrate`, and the scripted rollback of the accounts migration.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MIGRATIONS_FOLDER = join(ROOT, 'drizzle');
const JOURNAL = 'drizzle.__drizzle_migrations';

/** drizzle's own view of drizzle/: one entry per migration, with the hash and `when` its journal records. */
export function migrationFiles() {
  return readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
}

async function exists(client: pg.Client, regclass: string): Promise<boolean> {
  const { rows } = await client.query('select to_regclass($1) is not null as found', [regclass]);
  return rows[0].found;
}

/**
 * A database from before accounts has a `tasks` table but no drizzle journal. drizzle-kit would fail
 * on `CREATE TABLE "tasks"`; instead record migration 0000 as applied (drizzle's journal row: the
 * SHA-256 of the file and its `when`) so that `drizzle-kit migrate` continues with 0001.
 * Returns true when it baselined.
 */
export async function baselinePreAccountsDatabase(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    // Two deploys starting at once must not both baseline.
    await client.query("select pg_advisory_xact_lock(hashtext('task-api:migrate'))");
    if (!(await exists(client, 'public.tasks'))) {
      await client.query('rollback');
      return false;
    }
    if (await exists(client, JOURNAL)) {
      const { rows } = await client.query(`select count(*)::int as n from ${JOURNAL}`);
      if (rows[0].n > 0) {
        await client.query('rollback');
        return false;
      }
    }
    if (await exists(client, 'public.users')) {
      throw new Error('tasks and users exist but no migration is recorded: refusing to guess the schema version');
    }
    const [baseline] = migrationFiles();
    await client.query('create schema if not exists drizzle');
    await client.query(
      `create table if not exists ${JOURNAL} (id serial primary key, hash text not null, created_at bigint)`,
    );
    await client.query(`insert into ${JOURNAL} (hash, created_at) values ($1, $2)`, [
      baseline.hash,
      baseline.folderMillis,
    ]);
    await client.query('commit');
    return true;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

// Bounds how long a migration may wait for, and hold, locks on a live table: lock_timeout makes it
// fail fast (and roll back) instead of queueing every request behind it. Set on the connection
// because generated SQL is never edited; an explicit PGOPTIONS wins.
const MIGRATION_PGOPTIONS = '-c lock_timeout=5s -c statement_timeout=300s';

/** Runs the real `drizzle-kit migrate` against `url`; resolves with its exit code. */
export function drizzleKitMigrate(
  url: string,
  stdio: 'inherit' | 'pipe' = 'inherit',
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'drizzle-kit'), ['migrate'], {
      cwd: ROOT,
      env: { PGOPTIONS: MIGRATION_PGOPTIONS, ...process.env, DATABASE_URL: url },
      stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Baseline if needed, then drizzle-kit migrate. Throws when drizzle-kit fails. */
export async function migrate(
  url: string,
  stdio: 'inherit' | 'pipe' = 'inherit',
): Promise<{ baselined: boolean; output: string }> {
  const baselined = await baselinePreAccountsDatabase(url);
  const { code, output } = await drizzleKitMigrate(url, stdio);
  if (code !== 0) throw new Error(`drizzle-kit migrate exited with ${code}\n${output}`);
  return { baselined, output };
}

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/**
 * Undoes the most recently applied migration with its hand-written drizzle/rollback/<tag>.sql and
 * removes its journal row, in one transaction. Returns the tag rolled back. Run it twice to go from
 * 0002 back to 0000: the schema is then exactly 0000 again and every task row is kept.
 */
export async function rollbackLatest(url: string): Promise<string> {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query("select pg_advisory_xact_lock(hashtext('task-api:migrate'))");
    const { rows } = await client.query(`select id, created_at from ${JOURNAL} order by created_at desc limit 1`);
    const entry = journal.entries.find((candidate) => String(candidate.when) === String(rows[0]?.created_at));
    if (!entry || entry.idx === 0) throw new Error('nothing to roll back: the database is at 0000 or unmanaged');
    await client.query(readFileSync(join(MIGRATIONS_FOLDER, 'rollback', `${entry.tag}.sql`), 'utf8'));
    await client.query(`delete from ${JOURNAL} where id = $1`, [rows[0].id]);
    await client.query('commit');
    return entry.tag;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
