import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, IGNORED_REQUEST_BODY, ignoredBody } from '../../http/json-body.ts';
import { problemResponses, VALIDATION_PROBLEMS } from '../../http/openapi.ts';
import { limitTaskWrites, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { publishChange } from '../../live/notify.ts';
import { TASK_CHANGE_PROBLEMS, taskFailure } from '../errors.ts';
import { ETAG_HEADER, IfMatchHeaders } from '../if-match.ts';
import { toggleTask } from '../repository.ts';
import { TAGS, Task, TaskIdParams } from '../schemas.ts';
import { sendTask } from './send-task.ts';

export const route = authenticatedRoute({
  method: 'patch',
  path: '/api/tasks/{id}/complete',
  operationId: 'toggleTaskCompleted',
  tags: TAGS,
  summary: 'Toggle completed, atomically (a body is ignored)',
  description: IGNORED_BODY_RULE,
  middleware: [limitTaskWrites, ignoredBody, withDatabase] as const,
  request: { params: TaskIdParams, headers: IfMatchHeaders, body: IGNORED_REQUEST_BODY },
  responses: {
    200: {
      description: 'The task with completed flipped',
      headers: ETAG_HEADER,
      content: { 'application/json': { schema: Task } },
    },
    ...problemResponses(
      RATE_LIMIT_PROBLEMS,
      VALIDATION_PROBLEMS,
      IGNORED_BODY_PROBLEMS,
      DATABASE_PROBLEMS,
      TASK_CHANGE_PROBLEMS,
    ),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const ifMatch = c.req.valid('header')['if-match'];
  const result = await toggleTask(c.get('db'), c.get('caller'), c.req.valid('param').id, ifMatch);
  if (result.outcome !== 'written') throw taskFailure(result.outcome);
  publishChange(c, result.change, { task: result.value });
  return sendTask(c, result.value, 200);
};
