// GET /api/health: the API answers and its database is reachable. Anonymous, so kept cheap: limited per
// client network (HEALTH_RATE_LIMITER, 60 per 60 s), and a healthy answer is reused for a few seconds
// per isolate (src/health/check.ts) instead of a query per request.
import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppRouteHandler } from '../env.ts';
import { problemResponses } from '../http/openapi.ts';
import { limitPerNetwork, RATE_LIMIT_PROBLEMS } from '../http/rate-limit.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../http/with-database.ts';
import * as z from '../lib/zod.ts';
import { checkDatabase, HEALTHY_FOR_MS } from './check.ts';

const limitHealthChecks = limitPerNetwork('HEALTH_RATE_LIMITER', 'health', 'health checks');

const Health = z
  .object({ status: z.literal('ok'), database: z.literal('ok') })
  .openapi('Health', { example: { status: 'ok', database: 'ok' } });

export const route = createRoute({
  method: 'get',
  path: '/api/health',
  operationId: 'getHealth',
  security: [],
  tags: ['Service'],
  summary: 'Liveness and database reachability',
  description: `A healthy database check is reused for up to ${HEALTHY_FOR_MS / 1000} s; a failure is checked again on the next request. Limited per client network (429 with Retry-After).`,
  middleware: [limitHealthChecks, withDatabase] as const,
  responses: {
    200: { description: 'The API and its database answer', content: { 'application/json': { schema: Health } } },
    ...problemResponses(RATE_LIMIT_PROBLEMS, DATABASE_PROBLEMS),
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  // A failure here is classified by onError: unreachable → 503 DATABASE_UNAVAILABLE.
  const config = c.get('config');
  await checkDatabase(config.DATABASE_URL, () => c.get('db').execute(sql`select 1`));
  return c.json({ status: 'ok' as const, database: 'ok' as const }, 200);
};
