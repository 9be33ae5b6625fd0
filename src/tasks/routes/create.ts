import type { Context } from 'hono';
import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { Caller } from '../../auth/caller.ts';
import { sessionEnded, whileSessionLive } from '../../auth/require-user.ts';
import type { Database } from '../../db/client.ts';
import type { TaskRow } from '../../db/schema.ts';
import type { AppRouteHandler } from '../../env.ts';
import { AppError } from '../../http/errors.ts';
import { jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import * as z from '../../lib/zod.ts';
import { TAGS } from '../errors.ts';
import { createTaskIdempotently } from '../idempotency.ts';
import { ETAG_HEADER, etag } from '../if-match.ts';
import { createTask, type TaskFields } from '../repository.ts';
import { CreateTaskBody, Task, toTaskDto } from '../schemas.ts';

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .refine(
      (key) => [...key].every((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f),
      'must be 1–255 characters without control characters',
    )
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description: 'Makes a retry safe: the same key and body replay the first response (kept at least 24 h)',
      example: '4f8c2e1a-retry-safe',
    }),
});

export const route = authenticatedRoute({
  method: 'post',
  path: '/api/tasks',
  operationId: 'createTask',
  tags: TAGS,
  summary: 'Create a task',
  middleware: [jsonBody, withDatabase] as const,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateTaskBody } } },
  },
  responses: {
    201: {
      description: 'Created (or, with a reused Idempotency-Key and the same body, the first response replayed)',
      headers: { Location: { schema: { type: 'string' }, description: '/api/tasks/{id}' }, ...ETAG_HEADER },
      content: { 'application/json': { schema: Task } },
    },
    ...problemResponses(400, 413, 415, 422, 500, 503),
  },
});

/** With an Idempotency-Key: create once, replay the first response after that, refuse another body. */
async function createOrReplay(
  c: Context,
  db: Database,
  caller: Caller,
  key: string,
  fields: TaskFields,
): Promise<TaskRow> {
  // The body as sent (already read and cached by Hono) decides "same request".
  const result = await createTaskIdempotently(db, caller, key, fields, await c.req.json());
  if (result.outcome === 'session-ended') throw sessionEnded();
  if (result.outcome === 'key-reused') {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different body');
  }
  if (result.outcome === 'replayed') c.header('Idempotent-Replayed', 'true');
  return result.task;
}

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const body = c.req.valid('json');
  const key = c.req.valid('header')['idempotency-key'];
  const fields: TaskFields = {
    title: body.title,
    description: body.description ?? null,
    completed: body.completed ?? false,
  };
  const db = c.get('db');
  const caller = c.get('caller');
  const row =
    key === undefined
      ? whileSessionLive(await createTask(db, caller, fields))
      : await createOrReplay(c, db, caller, key, fields);
  c.header('Location', `/api/tasks/${row.id}`);
  c.header('ETag', etag(row.version));
  return c.json(toTaskDto(row), 201);
};
