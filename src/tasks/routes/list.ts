import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import { requireUser } from '../../auth/require-user.ts';
import type { HonoEnv } from '../../env.ts';
import { withDatabase } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { listTasks } from '../repository.ts';
import { ListTasksQuery, TaskPage, toTaskDto } from '../schemas.ts';
import { ownerOf, SECURITY, TAGS } from './shared.ts';

export const listTasksRoute = createRoute({
  method: 'get',
  path: '/api/tasks',
  tags: TAGS,
  summary: 'List your tasks, newest first by default, with keyset pagination',
  security: SECURITY,
  middleware: [requireUser, withDatabase] as const,
  request: { query: ListTasksQuery },
  responses: {
    200: { description: 'A page of tasks', content: { 'application/json': { schema: TaskPage } } },
    ...problemResponses(400, 401, 500, 503),
  },
});

export const listTasksHandler: RouteHandler<typeof listTasksRoute, HonoEnv> = async (c) => {
  const { status, order, limit, cursor } = c.req.valid('query');
  const secret = c.get('config').secretKey;
  const position = cursor === undefined ? undefined : await decodeCursor(cursor, order, secret);
  const { rows, hasMore } = await listTasks(c.get('db'), ownerOf(c), { status, order, limit, cursor: position });
  const last = rows.at(-1);
  const nextCursor =
    hasMore && last ? await encodeCursor({ createdAt: last.createdAt, id: last.id, order }, secret) : null;
  return c.json({ items: rows.map(toTaskDto), nextCursor }, 200);
};
