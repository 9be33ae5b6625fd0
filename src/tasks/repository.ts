// Task queries. Every function takes the owner and puts it in the WHERE clause; each is exactly one
// statement (ownership check and write together, never read-then-write). Repositories never see HTTP.
import { and, asc, desc, eq, not, type SQL, sql } from 'drizzle-orm';
import { isUserId, toUserId, type UserId } from '../auth/user-id.ts';
import type { Database } from '../db/client.ts';
import { columnNames, rowReader, typed } from '../db/rows.ts';
import { type TaskRow, tasks, users } from '../db/schema.ts';
import type { CursorPosition, ListOrder } from './cursor.ts';

const utcNow = sql`(now() at time zone 'utc')`;
const readTask = rowReader(tasks);

export type TaskStatus = 'all' | 'pending' | 'completed';
export interface TaskFields {
  title: string;
  description: string | null;
  completed: boolean;
}

/**
 * `tasks.user_id = owner`, checked again at run time: Drizzle's and() silently drops an `undefined`
 * condition, so a caller that bypassed the UserId type must fail here rather than lose the filter.
 */
export function ownerCondition(owner: UserId): SQL {
  if (!isUserId(owner)) throw new TypeError('task owner must be a user id (UUID)');
  return eq(tasks.userId, owner);
}

function statusCondition(status: TaskStatus): SQL | undefined {
  if (status === 'all') return undefined;
  return eq(tasks.completed, status === 'completed');
}

function afterCursor(order: ListOrder, cursor: CursorPosition | undefined): SQL | undefined {
  if (!cursor) return undefined;
  // A row comparison on (created_at, id): served by ix_tasks_user_created as an index condition.
  return order === 'desc'
    ? sql`(${tasks.createdAt}, ${tasks.id}) < (${cursor.createdAt}::timestamp, ${cursor.id}::integer)`
    : sql`(${tasks.createdAt}, ${tasks.id}) > (${cursor.createdAt}::timestamp, ${cursor.id}::integer)`;
}

export interface ListOptions {
  status: TaskStatus;
  order: ListOrder;
  limit: number;
  cursor?: CursorPosition;
}

/** The listing statement (exposed so tests can EXPLAIN exactly what runs). */
export function listTasksQuery(db: Database, owner: UserId, options: ListOptions) {
  const direction = options.order === 'desc' ? desc : asc;
  return db
    .select()
    .from(tasks)
    .where(and(ownerCondition(owner), statusCondition(options.status), afterCursor(options.order, options.cursor)))
    .orderBy(direction(tasks.createdAt), direction(tasks.id))
    .limit(options.limit + 1);
}

/** One page plus one extra row, which tells whether there is a next page. */
export async function listTasks(
  db: Database,
  owner: UserId,
  options: ListOptions,
): Promise<{ rows: TaskRow[]; hasMore: boolean }> {
  const rows = await listTasksQuery(db, owner, options);
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

/**
 * Inserts the task only if its owner still exists (INSERT … SELECT FROM users): a deleted user's
 * unexpired token gets `undefined` here, never a foreign-key error. Columns not named take their
 * defaults from the table (id, timestamps).
 */
export async function createTask(db: Database, owner: UserId, fields: TaskFields): Promise<TaskRow | undefined> {
  toUserId(owner); // the run-time guard ownerCondition gives the other statements
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    insert into ${tasks} (${columnNames(tasks.title, tasks.description, tasks.completed, tasks.userId)})
    select ${typed(tasks.title, fields.title)}, ${typed(tasks.description, fields.description)},
           ${typed(tasks.completed, fields.completed)}, ${users.id}
      from ${users} where ${users.id} = ${owner}
    returning *`);
  return rows[0] && readTask(rows[0]);
}

export async function findTask(db: Database, owner: UserId, id: number): Promise<TaskRow | undefined> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, id), ownerCondition(owner)));
  return row;
}

/** Changes only the given columns (no read-modify-write, so concurrent edits of other fields survive). */
export async function updateTask(
  db: Database,
  owner: UserId,
  id: number,
  changes: Partial<TaskFields>,
): Promise<TaskRow | undefined> {
  const [row] = await db
    .update(tasks)
    .set({ ...changes, updatedAt: utcNow })
    .where(and(eq(tasks.id, id), ownerCondition(owner)))
    .returning();
  return row;
}

export async function toggleTask(db: Database, owner: UserId, id: number): Promise<TaskRow | undefined> {
  const [row] = await db
    .update(tasks)
    .set({ completed: not(tasks.completed), updatedAt: utcNow })
    .where(and(eq(tasks.id, id), ownerCondition(owner)))
    .returning();
  return row;
}

export async function deleteTask(db: Database, owner: UserId, id: number): Promise<boolean> {
  const deleted = await db
    .delete(tasks)
    .where(and(eq(tasks.id, id), ownerCondition(owner)))
    .returning({ id: tasks.id });
  return deleted.length === 1;
}
