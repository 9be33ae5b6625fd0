import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import { requireUser } from '../../auth/require-user.ts';
import type { HonoEnv } from '../../env.ts';
import { withDatabase } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { deleteTask } from '../repository.ts';
import { TaskIdParams } from '../schemas.ts';
import { ownerOf, SECURITY, TAGS, taskNotFound } from './shared.ts';

export const deleteTaskRoute = createRoute({
  method: 'delete',
  path: '/api/tasks/{id}',
  tags: TAGS,
  summary: 'Delete a task',
  security: SECURITY,
  middleware: [requireUser, withDatabase] as const,
  request: { params: TaskIdParams },
  responses: {
    204: { description: 'Deleted' },
    ...problemResponses(400, 401, 404, 500, 503),
  },
});

export const deleteTaskHandler: RouteHandler<typeof deleteTaskRoute, HonoEnv> = async (c) => {
  if (!(await deleteTask(c.get('db'), ownerOf(c), c.req.valid('param').id))) throw taskNotFound();
  return c.body(null, 204);
};
