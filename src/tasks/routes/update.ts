import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import { requireUser } from '../../auth/require-user.ts';
// PATCH changes only the sent fields; PUT replaces all three. Both are one UPDATE … RETURNING.
import type { HonoEnv } from '../../env.ts';
import { withDatabase } from '../../http/context.ts';
import { jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { updateTask } from '../repository.ts';
import { PatchTaskBody, PutTaskBody, Task, TaskIdParams, toTaskDto } from '../schemas.ts';
import { ownerOf, SECURITY, TAGS, taskNotFound } from './shared.ts';

const responses = {
  200: { description: 'The updated task', content: { 'application/json': { schema: Task } } },
  ...problemResponses(400, 401, 404, 413, 415, 500, 503),
};

export const patchTaskRoute = createRoute({
  method: 'patch',
  path: '/api/tasks/{id}',
  tags: TAGS,
  summary: 'Change some fields of a task',
  security: SECURITY,
  middleware: [requireUser, jsonBody, withDatabase] as const,
  responses,
  request: {
    params: TaskIdParams,
    body: { required: true, content: { 'application/json': { schema: PatchTaskBody } } },
  },
});

export const putTaskRoute = createRoute({
  method: 'put',
  path: '/api/tasks/{id}',
  tags: TAGS,
  summary: 'Replace a task',
  security: SECURITY,
  middleware: [requireUser, jsonBody, withDatabase] as const,
  responses,
  request: { params: TaskIdParams, body: { required: true, content: { 'application/json': { schema: PutTaskBody } } } },
});

export const patchTask: RouteHandler<typeof patchTaskRoute, HonoEnv> = async (c) => {
  const row = await updateTask(c.get('db'), ownerOf(c), c.req.valid('param').id, c.req.valid('json'));
  if (!row) throw taskNotFound();
  return c.json(toTaskDto(row), 200);
};

export const putTask: RouteHandler<typeof putTaskRoute, HonoEnv> = async (c) => {
  const row = await updateTask(c.get('db'), ownerOf(c), c.req.valid('param').id, c.req.valid('json'));
  if (!row) throw taskNotFound();
  return c.json(toTaskDto(row), 200);
};
