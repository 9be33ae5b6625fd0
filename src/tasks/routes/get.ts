import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import { requireUser } from '../../auth/require-user.ts';
import type { HonoEnv } from '../../env.ts';
import { withDatabase } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { findTask } from '../repository.ts';
import { Task, TaskIdParams, toTaskDto } from '../schemas.ts';
import { ownerOf, SECURITY, TAGS, taskNotFound } from './shared.ts';

export const getTaskRoute = createRoute({
  method: 'get',
  path: '/api/tasks/{id}',
  tags: TAGS,
  summary: 'One of your tasks',
  security: SECURITY,
  middleware: [requireUser, withDatabase] as const,
  request: { params: TaskIdParams },
  responses: {
    200: { description: 'The task', content: { 'application/json': { schema: Task } } },
    ...problemResponses(400, 401, 404, 500, 503),
  },
});

export const getTask: RouteHandler<typeof getTaskRoute, HonoEnv> = async (c) => {
  const row = await findTask(c.get('db'), ownerOf(c), c.req.valid('param').id);
  if (!row) throw taskNotFound();
  return c.json(toTaskDto(row), 200);
};
