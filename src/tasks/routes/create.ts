import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import { requireUser, unauthenticated } from '../../auth/require-user.ts';
import type { HonoEnv } from '../../env.ts';
import { withDatabase } from '../../http/context.ts';
import { jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { createTask } from '../repository.ts';
import { CreateTaskBody, Task, toTaskDto } from '../schemas.ts';
import { ownerOf, SECURITY, TAGS } from './shared.ts';

export const createTaskRoute = createRoute({
  method: 'post',
  path: '/api/tasks',
  tags: TAGS,
  summary: 'Create a task',
  security: SECURITY,
  middleware: [requireUser, jsonBody, withDatabase] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateTaskBody } } } },
  responses: {
    201: {
      description: 'Created; Location points at the task',
      headers: { Location: { schema: { type: 'string' }, description: '/api/tasks/{id}' } },
      content: { 'application/json': { schema: Task } },
    },
    ...problemResponses(400, 401, 413, 415, 500, 503),
  },
});

export const createTaskHandler: RouteHandler<typeof createTaskRoute, HonoEnv> = async (c) => {
  const body = c.req.valid('json');
  const row = await createTask(c.get('db'), ownerOf(c), {
    title: body.title,
    description: body.description ?? null,
    completed: body.completed ?? false,
  });
  if (!row) throw unauthenticated('The account this token belongs to no longer exists', true);
  c.header('Location', `/api/tasks/${row.id}`);
  return c.json(toTaskDto(row), 201);
};
