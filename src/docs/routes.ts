// GET /api/openapi.json — the OpenAPI 3.1 document generated from the routes' zod schemas.
// GET /api/docs — an interactive reference (Scalar) for it, whose script is served by this deployment
// (static assets built from the pinned npm package), under a Content-Security-Policy that allows only
// this origin: the page works offline and cannot load anything from elsewhere.
import { createRoute } from '@hono/zod-openapi';
import { type OpenApiApp, problemResponses } from '../http/openapi.ts';
import * as z from '../lib/zod.ts';
import { renderDocsPage } from './page.ts';

export const OPENAPI_PATH = '/api/openapi.json';
/** Copied from @scalar/api-reference by scripts/build-docs-assets.mjs into the Worker's static assets. */
export const DOCS_SCRIPT_PATH = '/api/docs/scalar.js';

function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * Scripts: this origin, plus the page's own inline start-up script (by nonce). Styles: the reference
 * injects its stylesheet at run time, so inline styles are allowed; nothing else may be loaded from
 * anywhere but this origin, and requests from "try it" go only to this API.
 */
export function docsContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'unsafe-inline'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

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
    ...problemResponses(500),
  },
});

const docsRoute = createRoute({
  method: 'get',
  path: '/api/docs',
  operationId: 'getApiReference',
  security: [],
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
    description:
      'An access token: the accessToken of a Session (HS256, pinned; iss, aud, exp checked), or an access token of an issuer listed in TRUSTED_ISSUERS (that issuer\u2019s asymmetric algorithms, pinned; iss, aud, exp checked against its JWKS). RFC8725.',
  });
  app.openapi(openApiRoute, (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'Task API',
          version: '1.0.0',
          // OpenAPI 3.1's SPDX identifier; the parameter's (3.0) type lacks it.
          license: { name: 'MIT', identifier: 'MIT' } as { name: string },
          description:
            'Multi-user tasks for browser apps. Errors are RFC 9457 problem+json with a stable `code`; every response carries `X-Request-Id`.',
        },
        // The origin that served this document; a public API (x-internal false), not an internal one.
        servers: [{ url: new URL(c.req.url).origin, 'x-internal': false }],
        // In the order of the routes (the reference page lists its sections in this order).
        tags: [
          { name: 'Service', description: 'Health checks and this documentation' },
          { name: 'Auth', description: 'Accounts, sessions and their tokens' },
          { name: 'Tasks', description: 'The signed-in user\u2019s tasks' },
        ],
      }),
      200,
    ),
  );
  app.openapi(docsRoute, (c) => {
    const nonce = newNonce();
    c.header('Content-Security-Policy', docsContentSecurityPolicy(nonce));
    const html = renderDocsPage({
      title: 'Task API reference',
      documentUrl: OPENAPI_PATH,
      scriptPath: DOCS_SCRIPT_PATH,
      nonce,
    });
    return c.html(html, 200);
  });
}
