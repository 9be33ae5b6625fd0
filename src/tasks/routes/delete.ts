import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses, VALIDATION_PROBLEMS } from '../../http/openapi.ts';
import { limitTaskWrites, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { publishChange } from '../../live/notify.ts';
import { TASK_CHANGE_PROBLEMS, taskFailure } from '../errors.ts';
import { IfMatchHeaders } from '../if-match.ts';
import { deleteTask } from '../repository.ts';
import { TAGS, TaskIdParams } from '../schemas.ts';

export const route = authenticatedRoute({
  method: 'delete',
  path: '/api/tasks/{id}',
  operationId: 'deleteTask',
  tags: TAGS,
  summary: 'Delete a task',
  description: IGNORED_BODY_RULE,
  middleware: [limitTaskWrites, ignoredBody, withDatabase] as const,
  request: { params: TaskIdParams, headers: IfMatchHeaders },
  responses: {
    204: { description: "Deleted, together with this user's stored Idempotency-Key responses that created it" },
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
  const { id } = c.req.valid('param');
  const result = await deleteTask(c.get('db'), c.get('caller'), id, ifMatch);
  if (result.outcome !== 'written') throw taskFailure(result.outcome);
  publishChange(c, result.change, { deleted: { id } });
  return c.body(null, 204);
};
