import { authenticatedRoute } from '../../auth/authenticated.ts';
import { whileSessionLive } from '../../auth/require-user.ts';
import type { AppRouteHandler } from '../../env.ts';
import { AppError } from '../../http/errors.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses, VALIDATION_PROBLEMS } from '../../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';

import { listTasks } from '../repository.ts';
import { ListTasksQuery, TAGS, TaskPage, toTaskDto } from '../schemas.ts';

export const route = authenticatedRoute({
  method: 'get',
  path: '/api/tasks',
  operationId: 'listTasks',
  tags: TAGS,
  summary: 'List your tasks, newest first by default, with keyset pagination',
  description: IGNORED_BODY_RULE,
  middleware: [ignoredBody, withDatabase] as const,
  request: { query: ListTasksQuery },
  responses: {
    200: { description: 'A page of tasks', content: { 'application/json': { schema: TaskPage } } },
    ...problemResponses(VALIDATION_PROBLEMS, IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS),
  },
});

function badCursor(): AppError {
  return new AppError('VALIDATION_FAILED', 'The cursor is invalid', {
    errors: [{ path: 'cursor', message: 'must be a nextCursor value returned by this list' }],
  });
}

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { status, order, limit, cursor } = c.req.valid('query');
  const secret = c.get('config').secretKey;
  const position = cursor === undefined ? undefined : await decodeCursor(cursor, order, secret);
  if (position === null) throw badCursor();
  const page = await listTasks(c.get('db'), c.get('caller'), { status, order, limit, cursor: position });
  const { rows, hasMore } = whileSessionLive(page);
  const last = rows.at(-1);
  const nextCursor =
    hasMore && last ? await encodeCursor({ createdAt: last.createdAt, id: last.id, order }, secret) : null;
  return c.json({ items: rows.map(toTaskDto), nextCursor }, 200);
};
