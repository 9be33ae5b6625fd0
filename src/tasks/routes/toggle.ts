import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { AppRouteHandler } from '../../env.ts';
import { ignoredBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import { toggleTask } from '../repository.ts';
import { Task, TaskIdParams, toTaskDto } from '../schemas.ts';
import { TAGS, taskNotFound } from './not-found.ts';

export const route = authenticatedRoute({
  method: 'patch',
  path: '/api/tasks/{id}/complete',
  tags: TAGS,
  summary: 'Toggle completed, atomically (a body is ignored)',
  middleware: [ignoredBody, withDatabase] as const,
  request: { params: TaskIdParams },
  responses: {
    200: { description: 'The task with completed flipped', content: { 'application/json': { schema: Task } } },
    ...problemResponses(400, 404, 413, 500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const row = await toggleTask(c.get('db'), c.get('userId'), c.req.valid('param').id);
  if (!row) throw taskNotFound();
  return c.json(toTaskDto(row), 200);
};
