// POST /api/tasks: one INSERT … RETURNING, or with an Idempotency-Key the claim-and-insert of idempotency.ts.
import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitTaskWrites, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import * as z from '../../lib/zod.ts';
import { publishChange } from '../../live/notify.ts';
import { taskFailure } from '../errors.ts';
import { createTaskIdempotently } from '../idempotency.ts';
import { ETAG_HEADER } from '../if-match.ts';
import { createTask, type TaskFields } from '../repository.ts';
import { CreateTaskBody, TAGS, Task } from '../schemas.ts';
import { sendTask } from './send-task.ts';

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .regex(/^[^\x00-\x1f\x7f]*$/, 'must be 1–255 characters without control characters')
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
  // Per account, before any query: 600 writes per 60 s.
  middleware: [limitTaskWrites, jsonBody, withDatabase] as const,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateTaskBody } } },
  },
  responses: {
    201: {
      description: 'Created (or, with a reused Idempotency-Key and the same body, the first response replayed)',
      headers: {
        Location: { schema: { type: 'string' }, description: '/api/tasks/{id}' },
        ...ETAG_HEADER,
        'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] }, description: 'Set on a replay' },
      },
      content: { 'application/json': { schema: Task } },
    },
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, {
      403: ['QUOTA_EXCEEDED'],
      422: ['IDEMPOTENCY_KEY_REUSED'],
    }),
  },
});

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
  const maxTasks = c.get('config').TASKS_PER_USER_MAX;
  // With an Idempotency-Key, the body as sent (already read and cached by Hono) decides "same request".
  const result =
    key === undefined
      ? await createTask(db, caller, fields, maxTasks)
      : await createTaskIdempotently(db, caller, key, fields, await c.req.json(), maxTasks);
  if (result.outcome !== 'written' && result.outcome !== 'replayed') throw taskFailure(result.outcome);
  if (result.outcome === 'replayed') c.header('Idempotent-Replayed', 'true');
  else publishChange(c, result.change, { task: result.value });
  c.header('Location', `/api/tasks/${result.value.id}`);
  return sendTask(c, result.value, 201);
};
