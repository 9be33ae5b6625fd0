import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { AppRouteHandler } from '../../env.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import { deleteTask } from '../repository.ts';
import { TaskIdParams } from '../schemas.ts';
import { TAGS, taskNotFound } from './not-found.ts';

export const route = authenticatedRoute({
  method: 'delete',
  path: '/api/tasks/{id}',
  tags: TAGS,
  summary: 'Delete a task',
  middleware: [withDatabase] as const,
  request: { params: TaskIdParams },
  responses: {
    204: { description: 'Deleted' },
    ...problemResponses(400, 404, 500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  if (!(await deleteTask(c.get('db'), c.get('userId'), c.req.valid('param').id))) throw taskNotFound();
  return c.body(null, 204);
};
