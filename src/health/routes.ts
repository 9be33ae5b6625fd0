import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { OpenApiApp } from '../http/openapi.ts';
import { problemResponses } from '../http/openapi.ts';
import { withDatabase } from '../http/context.ts';

const Health = z
  .object({ status: z.literal('ok'), database: z.literal('ok') })
  .openapi('Health', { example: { status: 'ok', database: 'ok' } });

const health = createRoute({
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

export function registerHealthRoutes(app: OpenApiApp): void {
  app.openapi(health, async (c) => {
    // A failure here is classified by onError: unreachable → 503 DATABASE_UNAVAILABLE.
    await c.get('db').execute(sql`select 1`);
    return c.json({ status: 'ok' as const, database: 'ok' as const }, 200);
  });
}
