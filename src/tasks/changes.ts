// The per-user change sequence: every committed change of a user's tasks (create, update, toggle,
// delete) takes the next number of that user's sequence, 1, 2, 3… without gaps and in commit order, and
// GET /api/tasks/changes reads the changes after a number. Why this holds (docs/API.md, Changes):
// - each write's own statement bumps the user's counter row, after the task write and only if it wrote
//   (`where exists (select 1 from <written>)` also makes Postgres run the write first), so a 404, 412,
//   422 or Idempotency-Key replay takes no number;
// - the counter row stays locked until commit: a second writer of the same user waits, then reads the
//   committed value. So a number is visible only once every smaller one is, and a reader that asks for
//   "after n" can never see n + 2 before n + 1 (a global sequence, taken before commit, could).
// Lock order in every write: the user row (key share), the task row, the counter row, the change row.
// Deleting an account takes the user row first too, so the two never wait on each other in a cycle.
// The SQL names user_change_counters and task_changes (db/schema.ts) as text and is kept compact: it
// is in the Worker bundle, which has a size budget, and their table objects then are not.
import { type SQL, sql } from 'drizzle-orm';
import { type AsCaller, type Caller, externalAccountSetup, liveSessionCondition } from '../auth/caller.ts';
import { toUserId, type UserId } from '../auth/user-id.ts';
import type { Database } from '../db/client.ts';
import { rowReader } from '../db/rows.ts';
import { type TaskRow, tasks } from '../db/schema.ts';
import { repeatBatches } from '../db/sql-helpers.ts';

/** Deletions are remembered this long; a client that was away longer must resync (410). */
export const TOMBSTONE_RETENTION_DAYS = 30;

/**
 * The caller's session is live, and, for a session of ours, the user row is locked (key share) before
 * the statement touches any task: an account deletion locks that row first and then, by cascade, the
 * tasks and the counter, so a write that locked its task and counter first and the user row last (the
 * foreign-key checks at the end of the statement) could deadlock with it. A deleted account makes this
 * false (401). An external issuer's user is never deleted by this API, and on first use its row is
 * created by the same statement, so there is nothing to lock yet.
 */
export function writerLive(caller: Caller): SQL {
  const live = liveSessionCondition(caller);
  if (caller.external) return live;
  return sql`(${live} and exists (select 1 from users where id = ${caller.userId} for key share))`;
}

/**
 * Two common table expressions (with their leading comma) that number the write of CTE `written` (one
 * row with the task's `id`, or none when nothing was written): `change_seq` (the number taken, and
 * whether the user may have a live socket open) and the upsert of the task's change row. `deleted` makes
 * the row a tombstone. `live_until` is read from the counter row as this write updates it, locked: a
 * ticket's statement updates the same row, so either the ticket committed first and this write sees
 * its `live_until`, or this write committed first and the socket's first read of the feed sees it.
 */
export function numberChange(owner: UserId, written: SQL, deleted: boolean): SQL {
  return sql`,
change_seq as (insert into user_change_counters (user_id, last_seq) select ${owner}, 1 where exists (select 1 from ${written})
 on conflict (user_id) do update set last_seq = user_change_counters.last_seq + 1 returning last_seq, live_until > now() as watched),
task_change as (insert into task_changes (user_id, task_id, seq, deleted) select ${owner}, w.id, n.last_seq, ${deleted} from ${written} w, change_seq n
 on conflict (user_id, task_id) do update set seq = excluded.seq, deleted = excluded.deleted, changed_at = excluded.changed_at)`;
}

/** The select-list columns that report a write's numbering (numberChange): read by `numbered(row)`. */
export const NUMBERED_COLUMNS = sql`(select last_seq from change_seq) as change_seq, (select watched from change_seq) as watched`;

/**
 * A committed write's place in the change sequence: its number, and whether the user may have a live
 * socket open to tell (false: nobody is watching, so no call to the user's Durable Object is made).
 */
export interface NumberedChange {
  seq: number;
  watched: boolean;
}

/** The numbering a write's statement reported (NUMBERED_COLUMNS; int8 arrives as text). */
export function numbered(row: Record<string, unknown>): NumberedChange {
  return { seq: Number(row.change_seq), watched: row.watched === true };
}

/** One entry of the feed: the task as it is now, or null when it was deleted. */
export interface ChangeRow {
  seq: number;
  taskId: number;
  task: TaskRow | null;
}

export interface ChangePage {
  changes: ChangeRow[];
  hasMore: boolean;
  /** The user's last number (0 before any change) and the highest forgotten one (0: none). */
  lastSeq: number;
  forgottenSeq: number;
}

const readTask = rowReader(tasks);

/** The statement of listChanges (exposed so tests can EXPLAIN exactly what runs). */
export function listChangesStatement(caller: Caller, since: number, limit: number): SQL {
  const owner = toUserId(caller.userId);
  // A change row whose task is missing (deleted by a version of the API from before this sequence
  // existed, during its deploy) reads as a deletion, like a tombstone.
  return sql`with ${externalAccountSetup(caller)}live as (select ${liveSessionCondition(caller)} as alive),
page as (select c.seq as change_seq, c.task_id as change_task_id, t.* from task_changes c
 left join tasks t on t.id = c.task_id and t.user_id = c.user_id
 where c.user_id = ${owner} and c.seq > ${since} and (select alive from live) order by c.seq limit ${limit + 1})
select live.alive as session_live, n.last_seq, n.forgotten_seq, page.* from live
 left join user_change_counters n on n.user_id = ${owner} left join page on true`;
}

/** The caller's changes numbered after `since`, oldest first, at most `limit`. */
export async function listChanges(
  db: Database,
  caller: Caller,
  since: number,
  limit: number,
): Promise<AsCaller<ChangePage>> {
  const { rows } = await db.execute<Record<string, unknown>>(listChangesStatement(caller, since, limit));
  const [first] = rows;
  if (first?.session_live !== true) return { sessionLive: false };
  // Ordered here, not by the statement: a Sort node there would sort only this page, but the plan is
  // simpler to check (and to keep) without one.
  const changes = rows
    .filter((row) => row.change_seq !== null)
    .map((row) => ({
      seq: Number(row.change_seq),
      taskId: Number(row.change_task_id),
      task: row.id === null ? null : readTask(row),
    }))
    .sort((a, b) => a.seq - b.seq);
  return {
    sessionLive: true,
    value: {
      changes: changes.slice(0, limit),
      hasMore: changes.length > limit,
      lastSeq: Number(first.last_seq ?? 0),
      forgottenSeq: Number(first.forgotten_seq ?? 0),
    },
  };
}

/**
 * The hourly clean-up: forgets tombstones older than TOMBSTONE_RETENTION_DAYS and raises each user's
 * `forgotten_seq` to the highest number it forgot, in the same statement (a reader sees both or
 * neither). Locks the counter rows first (skipping any a write holds: those tombstones wait for the next
 * run), then the change rows, the order writes and account deletions take them in. Returns how many.
 */
export function forgetOldTombstones(db: Database, batchSize = 1000, maxBatches = 100): Promise<number> {
  return repeatBatches(
    db,
    sql`with candidates as (select user_id, task_id from task_changes
 where deleted and changed_at < now() - make_interval(days => ${TOMBSTONE_RETENTION_DAYS}) limit ${batchSize}),
locked as (select user_id from user_change_counters where user_id in (select user_id from candidates) for no key update skip locked),
gone as (delete from task_changes c using candidates k where c.user_id = k.user_id and c.task_id = k.task_id and c.deleted
 and c.user_id in (select user_id from locked) returning c.user_id, c.seq),
raised as (update user_change_counters n set forgotten_seq = greatest(n.forgotten_seq, g.seq)
 from (select user_id, max(seq) as seq from gone group by user_id) g where n.user_id = g.user_id)
select count(*)::int as n from gone`,
    batchSize,
    maxBatches,
  );
}
