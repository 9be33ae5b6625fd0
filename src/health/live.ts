// GET /api/health/live: the Worker answers, without touching the database (liveness; GET /api/health
// also checks the database). The benchmark's no-database baseline.
import { createRoute } from '@hono/zod-openapi';
import type { AppRouteHandler } from '../env.ts';
import { problemResponses } from '../http/openapi.ts';
import * as z from '../lib/zod.ts';

const Live = z.object({ status: z.literal('ok') }).openapi('Live', { example: { status: 'ok' } });

export const route = createRoute({
  method: 'get',
  path: '/api/health/live',
  operationId: 'getLiveness',
  security: [],
  tags: ['Service'],
  summary: 'Liveness, without the database',
  responses: {
    200: { description: 'The API answers', content: { 'application/json': { schema: Live } } },
    // Like every route, behind the configuration check: a broken configuration is 500 CONFIG_INVALID.
    ...problemResponses(),
  },
});

export const handler: AppRouteHandler<typeof route> = (c) => c.json({ status: 'ok' as const }, 200);
