// GET /api/openapi.json — the OpenAPI 3.1 document generated from the routes' zod schemas.
// GET /api/docs — an interactive reference (Scalar) for it.
import { createRoute } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../env.ts';
import { type OpenApiApp, problemResponses } from '../http/openapi.ts';
import * as z from '../lib/zod.ts';

export const OPENAPI_PATH = '/api/openapi.json';

const openApiRoute = createRoute({
  method: 'get',
  path: OPENAPI_PATH,
  tags: ['Service'],
  summary: 'This document',
  responses: {
    200: {
      description: 'The OpenAPI 3.1 document',
      content: { 'application/json': { schema: z.object({}).passthrough().openapi('OpenApiDocument') } },
    },
    ...problemResponses(500),
  },
});

const docsRoute = createRoute({
  method: 'get',
  path: '/api/docs',
  tags: ['Service'],
  summary: 'Interactive API reference',
  responses: {
    200: { description: 'An HTML page rendering this document', content: { 'text/html': { schema: z.string() } } },
    ...problemResponses(500),
  },
});

export function registerDocsRoutes(app: OpenApiApp): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The accessToken of a Session (signup, signin or password change)',
  });
  app.openapi(openApiRoute, (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'Task API',
          version: '1.0.0',
          description:
            'Multi-user tasks for browser apps. Errors are RFC 9457 problem+json with a stable `code`; every response carries `X-Request-Id`.',
        },
        servers: [{ url: new URL(c.req.url).origin }],
      }),
      200,
    ),
  );
  const scalar = Scalar<AppEnv>({ url: OPENAPI_PATH, pageTitle: 'Task API reference' });
  app.openapi(docsRoute, (c, next) => scalar(c, next) as never);
}
