// The OpenAPI document as deployments serve it: client/openapi.json, generated from the app by
// `npm run client:types` (CI fails when it is not current) and served as a static asset, not by the Worker.
// Tests that cover "every operation" read their list from it.
import document from '../../../client/openapi.json' with { type: 'json' };

export const OPENAPI_DOCUMENT = document as unknown as {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any> };
};
