// The OpenAPI document exactly as the Worker serves it at /api/openapi.json: the app answers the request
// in process, with placeholder bindings (the document needs no database and no real secret). Used by
// `npm run client:types` and `npm run openapi:lint`, so both see the same document.
import { createApp } from '../../src/app.ts';
import { OPENAPI_PATH } from '../../src/docs/routes.ts';

const BINDINGS = {
  APP_ENV: 'test',
  BETTER_AUTH_SECRET: 'only-for-generating-the-document-0123456789',
  DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
};
/** The origin the request is made to; the served document names it in `servers`. */
export const DOCUMENT_ORIGIN = 'https://task-api.example';

export async function servedOpenApiDocument(): Promise<Record<string, unknown>> {
  const log = console.log;
  console.log = () => {}; // the app's request log line is not output of the calling script
  try {
    const response = await createApp().request(`${DOCUMENT_ORIGIN}${OPENAPI_PATH}`, {}, BINDINGS);
    if (response.status !== 200) throw new Error(`${OPENAPI_PATH} answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    console.log = log;
  }
}
