import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses, VALIDATION_PROBLEMS } from '../../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { taskFailure } from '../errors.ts';
import { ETAG_HEADER } from '../if-match.ts';
import { findTask } from '../repository.ts';
import { TAGS, Task, TaskIdParams } from '../schemas.ts';
import { sendTask } from './send-task.ts';

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
    ...problemResponses(VALIDATION_PROBLEMS, IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS, { 404: ['NOT_FOUND'] }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const result = await findTask(c.get('db'), c.get('caller'), c.req.valid('param').id);
  if (result.outcome !== 'found') throw taskFailure(result.outcome);
  return sendTask(c, result.value, 200);
};
