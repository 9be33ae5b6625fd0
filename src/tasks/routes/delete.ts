import { authenticatedRoute } from '../../auth/authenticated.ts';
import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitTaskWrites } from '../../http/rate-limit.ts';
import { withDatabase } from '../../http/with-database.ts';
import { publishChange } from '../../live/notify.ts';
import { taskFailure } from '../errors.ts';
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
    ...problemResponses(400, 404, 412, 413, 429, 500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const ifMatch = c.req.valid('header')['if-match'];
  const { id } = c.req.valid('param');
  const result = await deleteTask(c.get('db'), c.get('caller'), id, ifMatch);
  if (result.outcome !== 'written') throw taskFailure(result.outcome);
  publishChange(c, { seq: result.seq, deleted: { id } });
  return c.body(null, 204);
};
