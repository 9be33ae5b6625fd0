import { authenticatedRoute } from '../../auth/authenticated.ts';
import { whileSessionLive } from '../../auth/require-user.ts';
import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import { TAGS, taskNotFound } from '../errors.ts';
import { ETAG_HEADER, etag } from '../if-match.ts';
import { findTask } from '../repository.ts';
import { Task, TaskIdParams, toTaskDto } from '../schemas.ts';

export const route = authenticatedRoute({
  method: 'get',
  path: '/api/tasks/{id}',
  operationId: 'getTask',
  tags: TAGS,
  summary: 'One of your tasks',
  description: IGNORED_BODY_RULE,
  middleware: [ignoredBody, withDatabase] as const,
  request: { params: TaskIdParams },
  responses: {
    200: { description: 'The task', headers: ETAG_HEADER, content: { 'application/json': { schema: Task } } },
    ...problemResponses(400, 404, 413, 500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const row = whileSessionLive(await findTask(c.get('db'), c.get('caller'), c.req.valid('param').id));
  if (!row) throw taskNotFound();
  c.header('ETag', etag(row.version));
  return c.json(toTaskDto(row), 200);
};
