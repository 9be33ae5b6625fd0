// GET /api/tasks/changes: the caller's task changes numbered after `since` (tasks/changes.ts), one
// statement like every task route.
import { authenticatedRoute } from '../../auth/authenticated.ts';
import { whileSessionLive } from '../../auth/require-user.ts';
import type { AppRouteHandler } from '../../env.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../../http/json-body.ts';
import { problemResponses, VALIDATION_PROBLEMS } from '../../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../../http/with-database.ts';
import { listChanges } from '../changes.ts';
import { resyncRequired } from '../errors.ts';
import { ChangePage, ChangesQuery, TAGS, toTaskDto } from '../schemas.ts';

export const route = authenticatedRoute({
  method: 'get',
  path: '/api/tasks/changes',
  operationId: 'listTaskChanges',
  tags: TAGS,
  summary: 'Your task changes after `since`, in order: each task once, as it is now',
  description: IGNORED_BODY_RULE,
  middleware: [ignoredBody, withDatabase] as const,
  request: { query: ChangesQuery },
  responses: {
    200: { description: 'The changes', content: { 'application/json': { schema: ChangePage } } },
    ...problemResponses(VALIDATION_PROBLEMS, IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS, { 410: ['RESYNC_REQUIRED'] }),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { since, limit } = c.req.valid('query');
  const page = whileSessionLive(await listChanges(c.get('db'), c.get('caller'), since, limit));
  // Below a forgotten number the client may have missed a deletion; above the last one it holds numbers
  // this database never gave (restored from a backup, say). Either way only a full sync is right.
  if (since > 0 && (since < page.forgottenSeq || since > page.lastSeq)) throw resyncRequired();
  const changes = page.changes.map(({ seq, taskId, task }) =>
    task ? { seq, task: toTaskDto(task) } : { seq, deleted: { id: taskId } },
  );
  return c.json({ changes, cursor: changes.at(-1)?.seq ?? since, hasMore: page.hasMore }, 200);
};
