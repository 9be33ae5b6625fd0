// What the deployed Worker gets for '@asteasolutions/zod-to-openapi' (wrangler.toml [alias]): the parts
// that declare routes and schemas, without the document generators (about 5.5 KiB gzip). The Worker
// never generates its OpenAPI document: it is generated in Node (`npm run client:types`, checked by CI)
// and served as a static asset (scripts/build-docs-assets.mjs). The generators here fail loudly if that
// ever changes.
// The package by path (its name is what this file replaces); its types are under the name, in index.d.ts.
export {
  extendZodWithOpenApi,
  getOpenApiMetadata,
  OpenAPIRegistry,
  // @ts-expect-error TS7016: no declaration file next to index.mjs (the types are reached by package name)
} from '../../node_modules/@asteasolutions/zod-to-openapi/dist/index.mjs';

class NoGenerator {
  constructor() {
    throw new Error('The OpenAPI document is generated at build time, not in the Worker');
  }
}
export const OpenApiGeneratorV3 = NoGenerator;
export const OpenApiGeneratorV31 = NoGenerator;
