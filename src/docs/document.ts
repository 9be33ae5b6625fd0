// The OpenAPI 3.1 document, generated from the routes' zod schemas, in Node: `npm run client:types` writes
// it to client/openapi.json (CI checks it is current) and the build serves that file as a static asset at
// /api/openapi.json, with the interactive reference /api/docs beside it (scripts/build-docs-assets.mjs).
// The Worker itself carries no generator (see no-document-generator.ts).
import { createRoute } from '@hono/zod-openapi';
import { type OpenApiApp, problemResponses } from '../http/openapi.ts';
import * as z from '../lib/zod.ts';
import { finishProblemResponses } from './problems.ts';

export const OPENAPI_PATH = '/api/openapi.json';

const openApiRoute = createRoute({
  method: 'get',
  path: OPENAPI_PATH,
  operationId: 'getOpenApiDocument',
  security: [],
  tags: ['Service'],
  summary: 'This document',
  responses: {
    200: {
      description: 'The OpenAPI 3.1 document',
      content: { 'application/json': { schema: z.object({}).passthrough().openapi('OpenApiDocument') } },
    },
    ...problemResponses(),
  },
});

/** The document of `app`'s routes; `origin` goes into `servers` (the static copy names its own origin, `/`). */
export function openApiDocument(app: OpenApiApp, origin: string) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An access token: the accessToken of a Session (HS256, pinned; iss, aud, exp checked), or an access token of an issuer listed in TRUSTED_ISSUERS (that issuer\u2019s asymmetric algorithms, pinned; iss, aud, exp checked against its JWKS). RFC8725.',
  });
  app.openAPIRegistry.registerPath(openApiRoute);
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Task API',
      version: '1.0.0',
      // OpenAPI 3.1's SPDX identifier; the parameter's (3.0) type lacks it.
      license: { name: 'MIT', identifier: 'MIT' } as { name: string },
      description:
        'Multi-user tasks for browser apps. Errors are RFC 9457 problem+json with a stable `code`; every response from the Worker carries `X-Request-Id`.',
    },
    // A public API (x-internal false), not an internal one.
    servers: [{ url: origin, 'x-internal': false }],
    // In the order of the routes (the reference page lists its sections in this order).
    tags: [
      { name: 'Service', description: 'Health checks and this documentation' },
      { name: 'Auth', description: 'Accounts, sessions and their tokens' },
      { name: 'Tasks', description: 'The signed-in user\u2019s tasks' },
    ],
  });
  finishProblemResponses(document);
  return document;
}
