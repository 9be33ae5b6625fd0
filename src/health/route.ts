// GET /api/health: the API answers and its database is reachable.
import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppRouteHandler } from '../env.ts';
import { problemResponses } from '../http/openapi.ts';
import { withDatabase } from '../http/with-database.ts';
import * as z from '../lib/zod.ts';

const Health = z
  .object({ status: z.literal('ok'), database: z.literal('ok') })
  .openapi('Health', { example: { status: 'ok', database: 'ok' } });

export const route = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['Service'],
  summary: 'Liveness and database reachability',
  middleware: [withDatabase] as const,
  responses: {
    200: { description: 'The API and its database answer', content: { 'application/json': { schema: Health } } },
    ...problemResponses(500, 503),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  // A failure here is classified by onError: unreachable → 503 DATABASE_UNAVAILABLE.
  await c.get('db').execute(sql`select 1`);
  return c.json({ status: 'ok' as const, database: 'ok' as const }, 200);
};
