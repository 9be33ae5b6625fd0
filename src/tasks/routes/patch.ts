// PATCH changes only the fields sent; one UPDATE … RETURNING.
import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { AppRouteHandler } from '../../env.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitTaskWrites, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { publishChange } from '../../live/notify.ts';
import { TASK_CHANGE_PROBLEMS, taskFailure } from '../errors.ts';
import { ETAG_HEADER, IfMatchHeaders } from '../if-match.ts';
import { updateTask } from '../repository.ts';
import { PatchTaskBody, TAGS, Task, TaskIdParams } from '../schemas.ts';
import { sendTask } from './send-task.ts';

export const route = authenticatedRoute({
  method: 'patch',
  path: '/api/tasks/{id}',
  operationId: 'updateTask',
  tags: TAGS,
  summary: 'Change some fields of a task',
  middleware: [limitTaskWrites, jsonBody, withDatabase] as const,
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
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, TASK_CHANGE_PROBLEMS),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { id } = c.req.valid('param');
  const ifMatch = c.req.valid('header')['if-match'];
  const result = await updateTask(c.get('db'), c.get('caller'), id, c.req.valid('json'), ifMatch);
  if (result.outcome !== 'written') throw taskFailure(result.outcome);
  publishChange(c, result.change, { task: result.value });
  return sendTask(c, result.value, 200);
};
