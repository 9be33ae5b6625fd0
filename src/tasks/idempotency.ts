// POST /api/tasks with an Idempotency-Key: a retried create returns the first response instead of
// creating a duplicate. Keys are per user; the record holds the request's hash and a snapshot of the
// task as first created. Creating and recording happen in one statement.
import { getTableName, sql } from 'drizzle-orm';
import { type Caller, externalAccountSetup, liveSessionCondition } from '../auth/caller.ts';
import type { UserId } from '../auth/user-id.ts';
import type { Database } from '../db/client.ts';
import { type TaskRow, tasks } from '../db/schema.ts';
import { sha256Hex } from '../lib/digest.ts';
import { NUMBERED_COLUMNS, type NumberedChange, numberChange, numbered, writerLive } from './changes.ts';
import { accountGoneDuring, roomForTask, type TaskFields } from './repository.ts';

export type IdempotentCreate =
  | { outcome: 'written'; value: TaskRow; change: NumberedChange }
  | { outcome: 'replayed'; value: TaskRow }
  | { outcome: 'key-reused' }
  | { outcome: 'quota-exceeded' }
  | { outcome: 'session-ended' };

interface RecordRow extends Record<string, unknown> {
  session_live: boolean;
  room: boolean;
  created: boolean | null; // null: neither claimed nor found (see the statement)
  request_hash: string;
  task_id: number | string; // bigint: the driver gives int8 as text
  title: string;
  description: string | null;
  completed: boolean;
  task_created_at: string;
  /** The number the create took in the user's change sequence (null on a replay). */
  change_seq: string | null;
  /** Whether the user may have a live socket open (null on a replay). */
  watched: boolean | null;
}

/** Key order does not make two JSON bodies different; everything else does. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the request's JSON body as sent (keys in any order). */
export async function requestHash(body: unknown): Promise<string> {
  return sha256Hex(canonicalJson(body));
}

function snapshotToTask(row: RecordRow, owner: UserId): TaskRow {
  return {
    id: Number(row.task_id),
    title: row.title,
    description: row.description,
    completed: row.completed,
    createdAt: row.task_created_at,
    updatedAt: row.task_created_at,
    // The snapshot is the task as first created: version 1.
    version: 1,
    userId: owner,
  };
}

function outcomeOf(row: RecordRow, hash: string, owner: UserId): IdempotentCreate {
  if (row.request_hash !== hash) return { outcome: 'key-reused' };
  const value = snapshotToTask(row, owner);
  return row.created ? { outcome: 'written', value, change: numbered(row) } : { outcome: 'replayed', value };
}

export async function createTaskIdempotently(
  db: Database,
  caller: Caller,
  key: string,
  fields: TaskFields,
  requestBody: unknown,
  maxTasks: number,
): Promise<IdempotentCreate> {
  const owner = caller.userId;
  const hash = await requestHash(requestBody);
  const live = liveSessionCondition(caller);
  // Claim the key (ON CONFLICT DO NOTHING) and insert the task only if the claim succeeded; else read
  // the earlier record. The task and its snapshot share one id and one `now()`, so they are identical.
  // Nothing is claimed, created or replayed unless the caller's session is live. The id (nextval) is
  // computed in the claim's select list, which runs only for a row that passed its WHERE: a replay, a
  // reused key (422) or an ended session takes no sequence value. (Two requests racing with one new key
  // can both get past `not exists`; the loser's claim then conflicts, and its value is the only one lost.)
  // A new key is claimed only while the account has room for one more task (a replay needs none). The
  // statement always returns one row: whether the session was live and there was room, and the record
  // claimed or found, if any. Only the insert of the task takes a number in the change sequence.
  let row: RecordRow;
  try {
    const { rows } = await db.execute<RecordRow>(sql`
      with ${externalAccountSetup(caller)}alive as (select ${writerLive(caller)} as live),
      room as (select ${roomForTask(owner, maxTasks)} as ok),
      claim as (
        insert into idempotency_keys (user_id, key, request_hash, task_id, title, description, completed, task_created_at)
        select ${owner}, ${key}, ${hash}, nextval(pg_get_serial_sequence(${getTableName(tasks)}, ${tasks.id.name})),
               ${fields.title}::varchar, ${fields.description}::varchar, ${fields.completed}::boolean,
               (now() at time zone 'utc')
         where (select live from alive) and (select ok from room)
           and not exists (select 1 from idempotency_keys where user_id = ${owner} and key = ${key})
        on conflict (user_id, key) do nothing
        returning *),
      created as (
        insert into tasks (id, title, description, completed, created_at, updated_at, user_id)
        select task_id, title, description, completed, task_created_at, task_created_at, user_id from claim
        returning id)
      ${numberChange(owner, sql`created`, false)},
      record as (
        select true as created, request_hash, task_id, title, description, completed, task_created_at::text,
               ${NUMBERED_COLUMNS}
          from claim
        union all
        select false, request_hash, task_id, title, description, completed, task_created_at::text, null, null
          from idempotency_keys where user_id = ${owner} and key = ${key} and (select live from alive))
      select (select live from alive) as session_live, (select ok from room) as room, record.*
        from (select 1) one left join record on true`);
    row = rows[0];
  } catch (error) {
    if (accountGoneDuring(error)) return { outcome: 'session-ended' };
    throw error;
  }
  if (row.created !== null && row.created !== undefined) return outcomeOf(row, hash, owner);
  if (row.session_live !== true) return { outcome: 'session-ended' };
  if (row.room !== true) return { outcome: 'quota-exceeded' };

  // Live, room, yet nothing claimed and nothing visible: a concurrent request with the same key committed
  // after this statement began. A second look finds its record (rare path).
  const { rows: later } = await db.execute<RecordRow>(sql`
    select false as created, request_hash, task_id, title, description, completed, task_created_at::text,
           null as change_seq
      from idempotency_keys where user_id = ${owner} and key = ${key} and ${live}`);
  return later[0] ? outcomeOf(later[0], hash, owner) : { outcome: 'session-ended' };
}

/** Keys are kept at least this long; the hourly cron trigger deletes older ones. */
export const IDEMPOTENCY_KEY_RETENTION_HOURS = 24;

export async function deleteExpiredIdempotencyKeys(db: Database): Promise<number> {
  const { rowCount } = await db.execute(
    sql`delete from idempotency_keys where created_at < now() - make_interval(hours => ${IDEMPOTENCY_KEY_RETENTION_HOURS})`,
  );
  return rowCount ?? 0;
}
