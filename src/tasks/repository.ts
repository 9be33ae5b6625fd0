// Task queries. Every function takes the owner and puts it in the WHERE clause; each is exactly one
// statement (ownership check and write together, never read-then-write). Repositories never see HTTP.
import { and, asc, desc, eq, not, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { type TaskRow, tasks, users } from '../db/schema.ts';
import type { CursorPosition, ListOrder } from './cursor.ts';
import { type OwnerId, ownerCondition } from './owner.ts';

const utcNow = sql`(now() at time zone 'utc')`;

export type TaskStatus = 'all' | 'pending' | 'completed';
export interface TaskFields {
  title: string;
  description: string | null;
  completed: boolean;
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
export function listTasksQuery(db: Database, owner: OwnerId, options: ListOptions) {
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
  owner: OwnerId,
  options: ListOptions,
): Promise<{ rows: TaskRow[]; hasMore: boolean }> {
  const rows = await listTasksQuery(db, owner, options);
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

/**
 * Inserts the task only if its owner still exists (INSERT … SELECT FROM users): a deleted user's
 * unexpired token gets `undefined` here, never a foreign-key error.
 */
export async function createTask(db: Database, owner: OwnerId, fields: TaskFields): Promise<TaskRow | undefined> {
  const [row] = await db
    .insert(tasks)
    .select(
      db
        // Drizzle's INSERT … SELECT wants every column, in table order; the defaults are spelled out.
        .select({
          id: sql`nextval('tasks_id_seq')`.as('id'),
          title: sql`${fields.title}::varchar`.as('title'),
          description: sql`${fields.description}::varchar`.as('description'),
          completed: sql`${fields.completed}::boolean`.as('completed'),
          createdAt: sql`${utcNow}`.as('created_at'),
          updatedAt: sql`${utcNow}`.as('updated_at'),
          userId: users.id,
        })
        .from(users)
        .where(eq(users.id, owner)),
    )
    .returning();
  return row;
}

export async function findTask(db: Database, owner: OwnerId, id: number): Promise<TaskRow | undefined> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, id), ownerCondition(owner)));
  return row;
}

/** Changes only the given columns (no read-modify-write, so concurrent edits of other fields survive). */
export async function updateTask(
  db: Database,
  owner: OwnerId,
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

export async function toggleTask(db: Database, owner: OwnerId, id: number): Promise<TaskRow | undefined> {
  const [row] = await db
    .update(tasks)
    .set({ completed: not(tasks.completed), updatedAt: utcNow })
    .where(and(eq(tasks.id, id), ownerCondition(owner)))
    .returning();
  return row;
}

export async function deleteTask(db: Database, owner: OwnerId, id: number): Promise<boolean> {
  const deleted = await db
    .delete(tasks)
    .where(and(eq(tasks.id, id), ownerCondition(owner)))
    .returning({ id: tasks.id });
  return deleted.length === 1;
}
