// The OpenAPI document of the app, as /api/openapi.json serves it (a static copy of client/openapi.json,
// which this generates). Used by `npm run client:types` and `npm run openapi:lint`, so both see the same
// document.
import { createApp } from '../../src/app.ts';
import { openApiDocument } from '../../src/docs/document.ts';

/** The origin named in `servers` while generating (removed from the committed copy). */
export const DOCUMENT_ORIGIN = 'https://task-api.example';

export async function servedOpenApiDocument(): Promise<Record<string, unknown>> {
  // Through JSON, as it is served: no undefined members.
  return JSON.parse(JSON.stringify(openApiDocument(createApp(), DOCUMENT_ORIGIN)));
}
