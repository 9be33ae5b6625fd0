// PATCH changes only the fields sent; one UPDATE … RETURNING.
import { authenticatedRoute } from '../../auth/authenticated.ts';
import { whileSessionLive } from '../../auth/require-user.ts';
import type { AppRouteHandler } from '../../env.ts';
import { jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { withDatabase } from '../../http/with-database.ts';
import { TAGS, written } from '../errors.ts';
import { ETAG_HEADER, etag, IfMatchHeaders, ifMatchOf } from '../if-match.ts';
import { updateTask } from '../repository.ts';
import { PatchTaskBody, Task, TaskIdParams, toTaskDto } from '../schemas.ts';

export const route = authenticatedRoute({
  method: 'patch',
  path: '/api/tasks/{id}',
  operationId: 'updateTask',
  tags: TAGS,
  summary: 'Change some fields of a task',
  middleware: [jsonBody, withDatabase] as const,
  request: {
    params: TaskIdParams,
    headers: IfMatchHeaders,
    body: { required: true, content: { 'application/json': { schema: PatchTaskBody } } },
  },
  responses: {
    200: {
      description: 'The updated task',
      headers: ETAG_HEADER,
      content: { 'application/json': { schema: Task } },
    },
    ...problemResponses(400, 404, 412, 413, 415, 500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { id } = c.req.valid('param');
  const ifMatch = ifMatchOf(c.req.valid('header')['if-match']);
  const row = written(
    whileSessionLive(await updateTask(c.get('db'), c.get('caller'), id, c.req.valid('json'), ifMatch)),
  );
  c.header('ETag', etag(row.version));
  return c.json(toTaskDto(row), 200);
};
