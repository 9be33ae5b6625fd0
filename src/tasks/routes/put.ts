// PUT replaces all three fields; one UPDATE … RETURNING.
import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { AppRouteHandler } from '../../env.ts';
import { jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import { updateTask } from '../repository.ts';
import { PutTaskBody, Task, TaskIdParams, toTaskDto } from '../schemas.ts';
import { TAGS, taskNotFound } from './not-found.ts';

export const route = authenticatedRoute({
  method: 'put',
  path: '/api/tasks/{id}',
  tags: TAGS,
  summary: 'Replace a task',
  middleware: [jsonBody, withDatabase] as const,
  request: { params: TaskIdParams, body: { required: true, content: { 'application/json': { schema: PutTaskBody } } } },
  responses: {
    200: { description: 'The replaced task', content: { 'application/json': { schema: Task } } },
    ...problemResponses(400, 404, 413, 415, 500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const row = await updateTask(c.get('db'), c.get('userId'), c.req.valid('param').id, c.req.valid('json'));
  if (!row) throw taskNotFound();
  return c.json(toTaskDto(row), 200);
};
