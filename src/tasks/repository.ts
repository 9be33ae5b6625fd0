// Task queries. Every function runs as a caller: one statement that filters by the owner AND checks the
// caller's session inside itself (ownership check, liveness and write together; never read-then-write).
// Repositories never see HTTP.
import { and, asc, desc, eq, is, not, Placeholder, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import {
  type AsCaller,
  asCallerRows,
  asCallerStatement,
  type Caller,
  type CallerKind,
  callerKind,
  callerTemplate,
  callerValues,
  externalAccountSetup,
} from '../auth/caller.ts';
import { isUserId, type UserId } from '../auth/user-id.ts';
import type { Database } from '../db/client.ts';
import { FOREIGN_KEY_VIOLATION, violated } from '../db/errors.ts';
import { parameter, preparedStatements, type StatementValues } from '../db/prepared.ts';
import { columnNames, rowReader, typed } from '../db/rows.ts';
import { idempotencyKeys, type TaskRow, tasks, utcNow } from '../db/schema.ts';
import { NUMBERED_COLUMNS, type NumberedChange, numberChange, numbered, writerLive } from './changes.ts';
import type { CursorPosition, ListOrder } from './cursor.ts';
import type { IfMatch } from './if-match.ts';

const readTask = rowReader(tasks);

export type TaskStatus = 'all' | 'pending' | 'completed';
export interface TaskFields {
  title: string;
  description: string | null;
  completed: boolean;
}

/**
 * `tasks.user_id = owner`, checked again at run time: Drizzle's and() silently drops an `undefined`
 * condition, so a caller that bypassed the UserId type must fail here rather than lose the filter. In a
 * prepared shape the owner is a placeholder, and callerValues checks the value it is given.
 */
export function ownerCondition(owner: UserId): SQL {
  if (!isUserId(owner) && !is(owner, Placeholder)) throw new TypeError('task owner must be a user id (UUID)');
  return eq(tasks.userId, owner);
}

function statusCondition(status: TaskStatus): SQL | undefined {
  if (status === 'all') return undefined;
  return eq(tasks.completed, status === 'completed');
}

function afterCursor(order: ListOrder, afterCursor: boolean): SQL | undefined {
  if (!afterCursor) return undefined;
  const [createdAt, id] = [parameter('cursorCreatedAt'), parameter('cursorId')];
  // A row comparison on (created_at, id): served by ix_tasks_user_created as an index condition.
  return order === 'desc'
    ? sql`(${tasks.createdAt}, ${tasks.id}) < (${createdAt}::timestamp, ${id}::bigint)`
    : sql`(${tasks.createdAt}, ${tasks.id}) > (${createdAt}::timestamp, ${id}::bigint)`;
}

/** Rows of a statement run as the caller, read as tasks. */
function asTasks(result: AsCaller<Record<string, unknown>[]>): AsCaller<TaskRow[]> {
  return result.sessionLive ? { sessionLive: true, value: result.value.map(readTask) } : result;
}

function firstTask(result: AsCaller<Record<string, unknown>[]>): AsCaller<TaskRow | undefined> {
  const rows = asTasks(result);
  return rows.sessionLive ? { sessionLive: true, value: rows.value[0] } : rows;
}

export interface ListOptions {
  status: TaskStatus;
  order: ListOrder;
  limit: number;
  cursor?: CursorPosition;
}

/** What a listing statement's text depends on; its values are placeholders. */
interface ListShape {
  caller: CallerKind;
  status: TaskStatus;
  order: ListOrder;
  afterCursor: boolean;
}

/** The page query (`rows`: one more row than asked, which tells whether there is a next page). */
function pageQuery(db: Database, shape: ListShape, caller: Caller, sessionLive: SQL) {
  const direction = shape.order === 'desc' ? desc : asc;
  return db
    .select()
    .from(tasks)
    .where(
      and(
        ownerCondition(caller.userId),
        statusCondition(shape.status),
        afterCursor(shape.order, shape.afterCursor),
        sessionLive,
      ),
    )
    .orderBy(direction(tasks.createdAt), direction(tasks.id))
    .limit(parameter<number>('rows'));
}

function pageOrder(order: ListOrder): SQL {
  const direction = order === 'desc' ? sql`desc` : sql`asc`;
  return sql`result.${sql.identifier(tasks.createdAt.name)} ${direction}, result.${sql.identifier(tasks.id.name)} ${direction}`;
}

const listStatements = preparedStatements((shape: ListShape, db) => {
  const caller = callerTemplate(shape.caller);
  return asCallerStatement(caller, (live) => pageQuery(db, shape, caller, live), pageOrder(shape.order));
});

function listStatement(caller: Caller, options: ListOptions): [ListShape, StatementValues] {
  const { status, order, cursor } = options;
  const shape = { caller: callerKind(caller), status, order, afterCursor: cursor !== undefined };
  const values = { ...callerValues(caller), rows: options.limit + 1 };
  return [shape, cursor ? { ...values, cursorCreatedAt: cursor.createdAt, cursorId: cursor.id } : values];
}

export async function listTasks(
  db: Database,
  caller: Caller,
  options: ListOptions,
): Promise<AsCaller<{ rows: TaskRow[]; hasMore: boolean }>> {
  const result = asTasks(asCallerRows(await listStatements.run(db, ...listStatement(caller, options))));
  if (!result.sessionLive) return result;
  const rows = result.value;
  return { sessionLive: true, value: { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit } };
}

/** The whole listing statement, exactly as listTasks sends it (for tests that EXPLAIN it). */
export function listTasksStatement(db: Database, caller: Caller, options: ListOptions) {
  return listStatements.query(db, ...listStatement(caller, options));
}

/**
 * What a write of one task came to, in one flat union: written (with the row and the change's numbering
 * in the user's change sequence), or why not: no such task for this caller (404), its version is
 * not one If-Match named (412), or the caller's session is over (401).
 */
export type TaskWrite<T> =
  | { outcome: 'written'; value: T; change: NumberedChange }
  | { outcome: 'not-found' }
  | { outcome: 'stale' }
  | { outcome: 'session-ended' };

const SESSION_ENDED = { outcome: 'session-ended' } as const;

/**
 * The owner has fewer than `max` tasks, counted by the statement that inserts (through the index on
 * tasks(user_id), stopping at `max`). Concurrent creates of one account each count without the others'
 * uncommitted rows, so a burst at the limit can pass it by at most the creates in flight (which the
 * per-account write limit bounds); the next create then sees them all.
 */
export function roomForTask(owner: UserId, max: number | SQL): SQL {
  return sql`(select count(*) from (select 1 from ${tasks} where ${ownerCondition(owner)} limit ${max}) existing) < ${max}`;
}

/** The foreign keys a create can meet when the account is deleted under it. */
export const ACCOUNT_GONE_CONSTRAINTS: readonly string[] = [
  'fk_tasks_user_id',
  'fk_user_change_counters_user_id',
  'fk_task_changes_user_id',
  'fk_idempotency_keys_user_id',
];

/** The account was deleted while a create ran: its session is over (401), never a 500. */
export function accountGoneDuring(error: unknown): boolean {
  return violated(error, FOREIGN_KEY_VIOLATION, ACCOUNT_GONE_CONSTRAINTS);
}

export type TaskCreate =
  | { outcome: 'written'; value: TaskRow; change: NumberedChange }
  | { outcome: 'quota-exceeded' }
  | { outcome: 'session-ended' };

const createStatements = preparedStatements((shape: { caller: CallerKind }) => {
  const caller = callerTemplate(shape.caller);
  const owner = caller.userId;
  return sql`
      with ${externalAccountSetup(caller)}live as (select ${writerLive(caller)} as alive),
      result as (
        insert into ${tasks} (${columnNames(tasks.title, tasks.description, tasks.completed, tasks.userId)})
        select ${typed(tasks.title, parameter('title'))}, ${typed(tasks.description, parameter('description'))},
               ${typed(tasks.completed, parameter('completed'))}, ${typed(tasks.userId, owner)}
         where (select alive from live) and ${roomForTask(owner, parameter<SQL>('maxTasks'))}
        returning *)
      ${numberChange(owner, sql`result`, false)}
      select live.alive as session_live, ${NUMBERED_COLUMNS}, result.*
        from live left join result on true`;
});

/**
 * Inserts the task for a live session, if the account has room for it (fewer than `maxTasks`): one
 * statement. Columns not named take their defaults from the table (id, timestamps). An account deleted
 * while this runs surfaces as a foreign-key violation: the session is over (401), never a 500.
 */
export async function createTask(
  db: Database,
  caller: Caller,
  fields: TaskFields,
  maxTasks: number,
): Promise<TaskCreate> {
  try {
    const values = { ...callerValues(caller), ...fields, maxTasks };
    const rows = await createStatements.run(db, { caller: callerKind(caller) }, values);
    const [row] = rows;
    if (row?.session_live !== true) return SESSION_ENDED;
    // Live, yet nothing inserted: the only other condition is the quota.
    if (row.id === null || row.id === undefined) return { outcome: 'quota-exceeded' };
    return { outcome: 'written', value: readTask(row), change: numbered(row) };
  } catch (error) {
    if (accountGoneDuring(error)) return SESSION_ENDED;
    throw error;
  }
}

export type TaskRead = { outcome: 'found'; value: TaskRow } | { outcome: 'not-found' } | { outcome: 'session-ended' };

const findStatements = preparedStatements((shape: { caller: CallerKind }, db) => {
  const caller = callerTemplate(shape.caller);
  return asCallerStatement(caller, (live) =>
    db
      .select()
      .from(tasks)
      .where(and(eq(tasks.id, parameter<number>('id')), ownerCondition(caller.userId), live)),
  );
});

export async function findTask(db: Database, caller: Caller, id: number): Promise<TaskRead> {
  const rows = await findStatements.run(db, { caller: callerKind(caller) }, { ...callerValues(caller), id });
  const result = firstTask(asCallerRows(rows));
  if (!result.sessionLive) return SESSION_ENDED;
  return result.value ? { outcome: 'found', value: result.value } : { outcome: 'not-found' };
}

/** What a write's statement text depends on; the task id, versions and new values are placeholders. */
interface WriteShape {
  caller: CallerKind;
  /** If-Match names versions (`*` or no If-Match: any version). */
  byVersion: boolean;
}

/**
 * The statement of one write of one task as the caller, with its If-Match check in the same statement:
 * the write's WHERE names the task, its owner, the live session and (with If-Match) the expected
 * versions; alongside, whether the task exists for this caller. So one round trip tells 401 (session
 * over) from 404 (no such task for you) from 412 (it exists but its version is not one named) from
 * success. A write that a concurrent change made miss its version check (Postgres re-checks the WHERE on
 * the new row) is 412. A write numbers itself in the user's change sequence (a tombstone when
 * `deletes`), in the same statement.
 */
function writeStatement(
  shape: WriteShape,
  write: (where: SQL) => SQLWrapper,
  deletes = false,
  alsoWith?: (result: SQL, owner: UserId) => SQL,
): SQL {
  const caller = callerTemplate(shape.caller);
  const live = sql`(select alive from live)`;
  const target = and(eq(tasks.id, parameter<number>('id')), ownerCondition(caller.userId), live) as SQL;
  const where = shape.byVersion
    ? (and(target, sql`${tasks.version} = any(${parameter('versions')}::int[])`) as SQL)
    : target;
  return sql`
    with ${externalAccountSetup(caller)}live as (select ${writerLive(caller)} as alive),
    result as (${write(where).getSQL()})
    ${alsoWith ? sql`, ${alsoWith(sql`result`, caller.userId)}` : sql``}
    ${numberChange(caller.userId, sql`result`, deletes)}
    select live.alive as session_live, exists (select 1 from ${tasks} where ${target}) as task_found,
           ${NUMBERED_COLUMNS}, result.*
      from live left join result on true`;
}

function writeShape(caller: Caller, ifMatch: IfMatch | undefined): WriteShape {
  return { caller: callerKind(caller), byVersion: ifMatch?.kind === 'versions' };
}

/** Runs a write statement for the caller's task `id` and tells what it came to. */
async function writeTask<Shape extends WriteShape>(
  db: Database,
  statements: ReturnType<typeof preparedStatements<Shape>>,
  shape: Shape,
  caller: Caller,
  id: number,
  ifMatch: IfMatch | undefined,
  values: StatementValues = {},
): Promise<TaskWrite<Record<string, unknown>>> {
  const versions = ifMatch?.kind === 'versions' ? ifMatch.versions : undefined;
  const [row] = await statements.run(db, shape, { ...callerValues(caller), id, versions, ...values });
  if (row?.session_live !== true) return SESSION_ENDED;
  if (row.id !== null && row.id !== undefined) return { outcome: 'written', value: row, change: numbered(row) };
  // Nothing written: stale only if an If-Match with versions was the reason (the task still exists).
  return { outcome: versions !== undefined && row.task_found === true ? 'stale' : 'not-found' };
}

function asTaskWrite(result: TaskWrite<Record<string, unknown>>): TaskWrite<TaskRow> {
  return result.outcome === 'written' ? { ...result, value: readTask(result.value) } : result;
}

type TaskColumn = keyof TaskFields;

const updateStatements = preparedStatements((shape: WriteShape & { columns: TaskColumn[] }, db) =>
  writeStatement(shape, (where) =>
    db
      .update(tasks)
      .set({
        ...Object.fromEntries(shape.columns.map((column) => [column, parameter(column)])),
        updatedAt: utcNow,
        version: sql`${tasks.version} + 1`,
      })
      .where(where)
      .returning(),
  ),
);

/**
 * Changes only the given columns (no read-modify-write, so concurrent edits of other fields survive);
 * every change bumps the version.
 */
export async function updateTask(
  db: Database,
  caller: Caller,
  id: number,
  changes: Partial<TaskFields>,
  ifMatch?: IfMatch,
): Promise<TaskWrite<TaskRow>> {
  const columns = (['title', 'description', 'completed'] as const).filter((column) => changes[column] !== undefined);
  const shape = { ...writeShape(caller, ifMatch), columns };
  return asTaskWrite(await writeTask(db, updateStatements, shape, caller, id, ifMatch, changes));
}

const toggleStatements = preparedStatements((shape: WriteShape, db) =>
  writeStatement(shape, (where) =>
    db
      .update(tasks)
      .set({ completed: not(tasks.completed), updatedAt: utcNow, version: sql`${tasks.version} + 1` })
      .where(where)
      .returning(),
  ),
);

export async function toggleTask(
  db: Database,
  caller: Caller,
  id: number,
  ifMatch?: IfMatch,
): Promise<TaskWrite<TaskRow>> {
  return asTaskWrite(await writeTask(db, toggleStatements, writeShape(caller, ifMatch), caller, id, ifMatch));
}

/**
 * Deletes the task and, in the same statement, the caller's Idempotency-Key records that created it, so
 * a retry of that create cannot replay a task that no longer exists.
 */
const deleteStatements = preparedStatements((shape: WriteShape, db) =>
  writeStatement(
    shape,
    (where) => db.delete(tasks).where(where).returning({ id: tasks.id }),
    true,
    (deleted, owner) => sql`forgotten as (
      delete from ${idempotencyKeys}
       where ${idempotencyKeys.userId} = ${owner}
         and ${idempotencyKeys.taskId} in (select id from ${deleted}))`,
  ),
);

export async function deleteTask(
  db: Database,
  caller: Caller,
  id: number,
  ifMatch?: IfMatch,
): Promise<TaskWrite<true>> {
  const result = await writeTask(db, deleteStatements, writeShape(caller, ifMatch), caller, id, ifMatch);
  return result.outcome === 'written' ? { ...result, value: true } : result;
}
