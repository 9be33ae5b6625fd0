// Deterministic interleavings of concurrent statements, over the same HTTP path the Worker uses (no
// interactive sessions there): a transaction kept open by ending its batch with a sleep, its locks held
// until the sleep is cancelled (which rolls the batch back), and a wait until Postgres shows another
// statement blocked on a lock. No timing decides the order: each step waits until the one before it is
// visible in pg_stat_activity.
import { env } from 'cloudflare:test';
import { neon } from '@neondatabase/serverless';
import { expect } from 'vitest';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/db/client.ts';
import { queryDatabase } from './api.ts';

export interface Statement {
  text: string;
  params?: unknown[];
}

export interface HeldTransaction {
  /** Cancels the closing sleep: the transaction rolls back and its locks are released. */
  release(): Promise<void>;
}

/** Runs `statements` against the test database in one transaction, asynchronously. */
export function runInTransaction(statements: Statement[]): Promise<unknown> {
  createDatabase(loadConfig(env as Bindings)); // points the driver at the local endpoint
  const sql = neon((env as Bindings).DATABASE_URL as string);
  return sql.transaction(statements.map(({ text, params }) => sql.query(text, params ?? [])));
}

/** Polls pg_stat_activity (5 s at most) until a statement containing `fragment` is in the given state. */
async function waitForActivity(fragment: string, condition: string, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = await queryDatabase(
      `select pid from pg_stat_activity
        where state = 'active' and ${condition} and position($1 in query) > 0 and pid <> pg_backend_pid()`,
      [fragment],
    );
    if (rows.length > 0) return;
    expect(Date.now(), `a statement containing ${fragment} ${what}`).toBeLessThan(deadline);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs `statements` in a transaction that stays open (its last statement sleeps, for at most 7 s, under
 * the driver's 8 s limit) until `release`. Returns once the sleep has begun, i.e. every statement before
 * it has run and holds its locks.
 */
export async function holdTransaction(statements: Statement[]): Promise<HeldTransaction> {
  const tag = `held-${crypto.randomUUID()}`;
  // The batch ends in an error once cancelled (or, if never released, after the sleep): either is fine.
  const running = runInTransaction([...statements, { text: `select pg_sleep(7) /* ${tag} */` }]).catch(() => {});
  await waitForActivity(tag, `wait_event = 'PgSleep'`, 'sleeping');
  return {
    async release() {
      await queryDatabase(
        `select pg_cancel_backend(pid) from pg_stat_activity where position($1 in query) > 0 and pid <> pg_backend_pid()`,
        [tag],
      );
      await running;
    },
  };
}

/** Waits until a statement containing `fragment` is blocked on a lock. */
export function waitUntilBlocked(fragment: string): Promise<void> {
  return waitForActivity(fragment, `wait_event_type = 'Lock'`, 'blocked on a lock');
}
