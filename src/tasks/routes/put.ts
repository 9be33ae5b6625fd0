// PUT replaces all three fields; one UPDATE … RETURNING, by PATCH's handler.
import { authenticatedRoute } from '../../auth/authenticated.ts';
import { JSON_BODY_PROBLEMS, jsonBody } from '../../http/json-body.ts';
import { problemResponses } from '../../http/openapi.ts';
import { limitTaskWrites, RATE_LIMIT_PROBLEMS } from '../../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { TASK_CHANGE_PROBLEMS } from '../errors.ts';
import { ETAG_HEADER, IfMatchHeaders } from '../if-match.ts';
import { PutTaskBody, TAGS, Task, TaskIdParams } from '../schemas.ts';

export const route = authenticatedRoute({
  method: 'put',
  path: '/api/tasks/{id}',
  operationId: 'replaceTask',
  tags: TAGS,
  summary: 'Replace a task',
  middleware: [limitTaskWrites, jsonBody, withDatabase] as const,
  request: {
    params: TaskIdParams,
    headers: IfMatchHeaders,
    body: { required: true, content: { 'application/json': { schema: PutTaskBody } } },
  },
  responses: {
    200: {
      description: 'The replaced task',
      headers: ETAG_HEADER,
      content: { 'application/json': { schema: Task } },
    },
    ...problemResponses(RATE_LIMIT_PROBLEMS, JSON_BODY_PROBLEMS, DATABASE_PROBLEMS, TASK_CHANGE_PROBLEMS),
  },
});

// The same handler as PATCH: a PUT body is the full set of fields, so "change the fields sent" replaces them all.
export { handler } from './patch.ts';
