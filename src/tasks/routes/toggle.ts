import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import { requireUser } from '../../auth/require-user.ts';
import type { HonoEnv } from '../../env.ts';
import { withDatabase } from '../../http/context.ts';
import { ignoredBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { toggleTask } from '../repository.ts';
import { Task, TaskIdParams, toTaskDto } from '../schemas.ts';
import { ownerOf, SECURITY, TAGS, taskNotFound } from './shared.ts';

export const toggleTaskRoute = createRoute({
  method: 'patch',
  path: '/api/tasks/{id}/complete',
  tags: TAGS,
  summary: 'Toggle completed, atomically (a body is ignored)',
  security: SECURITY,
  middleware: [requireUser, ignoredBody, withDatabase] as const,
  request: { params: TaskIdParams },
  responses: {
    200: { description: 'The task with completed flipped', content: { 'application/json': { schema: Task } } },
    ...problemResponses(400, 401, 404, 413, 500, 503),
  },
});

export const toggleTaskHandler: RouteHandler<typeof toggleTaskRoute, HonoEnv> = async (c) => {
  const row = await toggleTask(c.get('db'), ownerOf(c), c.req.valid('param').id);
  if (!row) throw taskNotFound();
  return c.json(toTaskDto(row), 200);
};
