// Request and response shapes of the task routes: they validate requests and generate the OpenAPI.

import type { TaskRow } from '../db/schema.ts';
import * as z from '../lib/zod.ts';

const MAX_TASK_ID = 2_147_483_647; // tasks.id is a Postgres integer (serial)

// Postgres text cannot hold U+0000; refuse it here (400) rather than fail in the database (500).
const noNul = [(text: string) => !text.includes('\u0000'), 'must not contain NUL (U+0000) characters'] as const;

const Title = z
  .string()
  .refine(...noNul)
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .openapi({ example: 'Buy milk', description: 'Trimmed; 1–200 characters' });
const Description = z
  .string()
  .refine(...noNul)
  .max(1000, 'must be at most 1000 characters')
  .nullable()
  .openapi({ example: 'Two litres, semi-skimmed' });

export const CreateTaskBody = z
  .strictObject({ title: Title, description: Description.optional(), completed: z.boolean().optional() })
  .openapi('CreateTaskBody');

export const PatchTaskBody = z
  .strictObject({ title: Title.optional(), description: Description.optional(), completed: z.boolean().optional() })
  .refine((body) => Object.keys(body).length > 0, { error: 'send at least one of title, description, completed' })
  .openapi('PatchTaskBody');

export const PutTaskBody = z
  .strictObject({ title: Title, description: Description, completed: z.boolean() })
  .openapi('PutTaskBody');

export const TaskIdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'must be a positive integer')
    .transform(Number)
    .refine((id) => id <= MAX_TASK_ID, `must be at most ${MAX_TASK_ID}`)
    .openapi({ param: { name: 'id', in: 'path' }, type: 'integer', example: 42 }),
});

export const ListTasksQuery = z.object({
  status: z
    .enum(['all', 'pending', 'completed'])
    .default('all')
    .openapi({ param: { name: 'status', in: 'query' } }),
  order: z
    .enum(['desc', 'asc'])
    .default('desc')
    .openapi({ param: { name: 'order', in: 'query' }, description: 'By creation time' }),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'must be an integer from 1 to 100')
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= 100, 'must be an integer from 1 to 100')
    .default(20)
    .openapi({ param: { name: 'limit', in: 'query' }, type: 'integer', minimum: 1, maximum: 100, default: 20 }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page' }),
});

const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-02-04T10:11:12.345Z' });

export const Task = z
  .object({
    id: z.number().int().positive().openapi({ example: 42 }),
    title: z.string(),
    description: z.string().nullable(),
    completed: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Task');

export const TaskPage = z.object({ items: z.array(Task), nextCursor: z.string().nullable() }).openapi('TaskPage');

export type TaskDto = z.infer<typeof Task>;

/** `2026-02-04 10:11:12.345678` (UTC, as stored) → `2026-02-04T10:11:12.345Z`. */
export function isoFromUtcTimestamp(stored: string): string {
  const [date, time] = stored.split(' ');
  const [clock, fraction = ''] = time.split('.');
  return `${date}T${clock}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
}

export function toTaskDto(row: TaskRow): TaskDto {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    createdAt: isoFromUtcTimestamp(row.createdAt),
    updatedAt: isoFromUtcTimestamp(row.updatedAt),
  };
}
