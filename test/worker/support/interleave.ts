// Deterministic interleavings of concurrent statements: a transaction held open (through the WebSocket
// pipe, the one path that can) while another statement runs into its locks, and a wait until Postgres
// shows that statement blocked. No sleeps decide the order.
import { env } from 'cloudflare:test';
import type { Pool } from '@neondatabase/serverless';
import { expect } from 'vitest';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createTransactionalDatabase } from '../../../src/db/client.ts';
import { queryDatabase } from './api.ts';

export interface HeldTransaction {
  /** Ends the transaction: commit (true) or roll back (false). */
  end(commit: boolean): Promise<void>;
}

/** Runs `statements` in a transaction and keeps it open, its locks held, until `end`. */
export async function holdTransaction(statements: { text: string; params?: unknown[] }[]): Promise<HeldTransaction> {
  const { db, close } = createTransactionalDatabase(loadConfig(env as Bindings));
  // drizzle keeps the Pool it was given; the declared type leaves it out.
  const client = await (db as unknown as { $client: Pool }).$client.connect();
  await client.query('begin');
  for (const { text, params } of statements) await client.query(text, params);
  return {
    async end(commit) {
      try {
        await client.query(commit ? 'commit' : 'rollback');
      } finally {
        client.release();
        await close();
      }
    },
  };
}

/** Waits (5 s at most) until a backend whose statement contains `fragment` waits for a lock. */
export async function waitUntilBlocked(fragment: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = await queryDatabase(
      `select pid from pg_stat_activity
        where wait_event_type = 'Lock' and state = 'active' and position($1 in query) > 0 and pid <> pg_backend_pid()`,
      [fragment],
    );
    if (rows.length > 0) return;
    expect(Date.now(), `a statement containing ${fragment} blocked on a lock`).toBeLessThan(deadline);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
