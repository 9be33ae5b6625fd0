// The tables of the per-user change sequence (src/tasks/changes.ts). drizzle-kit reads this file beside
// schema.ts (drizzle.config.ts); the Worker never imports it: its SQL names these tables as text, so their
// definitions stay out of the bundle, which has a size budget.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { users } from './schema.ts';

/**
 * Each user's change sequence: the number the user's last committed task change took, and the highest
 * number the clean-up has forgotten a deletion of (a client that synced only up to below it may have
 * missed that deletion, so it must resync). A write of a task bumps `last_seq` in its own statement,
 * after the task row is written: the row lock, held to commit, orders one user's writes, so the numbers
 * follow commit order without gaps (src/tasks/changes.ts).
 *
 * `live_until`: until when the user may have a live socket open (src/live/): every ticket moves it to the
 * end of its session, the latest a socket of that ticket can receive changes. A write tells the user's
 * Durable Object about its change only before then, so users who never open a socket cost no call.
 */
export const userChangeCounters = pgTable(
  'user_change_counters',
  {
    userId: varchar('user_id', { length: 36 }).primaryKey(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    forgottenSeq: bigint('forgotten_seq', { mode: 'number' }).notNull().default(0),
    // '-infinity': no socket. Migration 0014 gives a database already in use a later default instead.
    liveUntil: timestamp('live_until', { withTimezone: true, mode: 'date' }).notNull().default(sql`'-infinity'`),
  },
  (t) => [
    foreignKey({
      name: 'fk_user_change_counters_user_id',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

/**
 * The latest change of each of a user's tasks: its number in the user's change sequence, and whether it
 * was the deletion (a tombstone, kept 30 days). GET /api/tasks/changes reads it by (user_id, seq).
 * Tombstones outlive their task, so task_id references nothing; the user's rows go with the counter row
 * (and it with the user). Referencing the counter, not users, means the check of a new row's reference
 * locks only the counter row the same statement has just locked anyway.
 */
export const taskChanges = pgTable(
  'task_changes',
  {
    userId: varchar('user_id', { length: 36 }).notNull(),
    taskId: bigint('task_id', { mode: 'number' }).notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    deleted: boolean('deleted').notNull().default(false),
    changedAt: timestamp('changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'pk_task_changes', columns: [t.userId, t.taskId] }),
    foreignKey({
      name: 'fk_task_changes_user_id',
      columns: [t.userId],
      foreignColumns: [userChangeCounters.userId],
    }).onDelete('cascade'),
    // "This user's changes after n, in order": an index range scan, no sort. Unique: one number, one change.
    uniqueIndex('ux_task_changes_user_seq').on(t.userId, t.seq),
    // The hourly clean-up finds old tombstones (and only those) by their time.
    index('ix_task_changes_tombstones').on(t.changedAt).where(sql`${t.deleted}`),
  ],
);
