// docs/API.md (the contract in prose) and the OpenAPI document (client/openapi.json, generated from the
// routes) name the same operations and the same error codes with the same statuses: one test reads both.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/migrations.ts';

const contract = readFileSync(join(ROOT, 'docs', 'API.md'), 'utf8');
const document = JSON.parse(readFileSync(join(ROOT, 'client', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
type Operation = {
  responses: Record<
    string,
    { content?: Record<string, { schema: { allOf?: { properties?: { code?: { enum?: string[] } } }[] } }> }
  >;
};

// The reference page is a static HTML file beside the API, not an operation of the document.
const NOT_OPERATIONS = new Set(['GET /api/docs']);

describe('docs/API.md and the OpenAPI document', () => {
  it('name the same operations', () => {
    const inContract = new Set(
      [...contract.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/api\/[^\s`?]*)/g)]
        .map(([, method, path]) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`)
        .filter((operation) => !NOT_OPERATIONS.has(operation)),
    );
    const inDocument = new Set(
      Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    expect(inContract.size).toBeGreaterThan(0); // the pattern still finds the contract's routes
    expect([...inContract].sort()).toEqual([...inDocument].sort());
  });

  it('list the same error codes, each with the same statuses', () => {
    const inContract = [...contract.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)]
      .map(([, code, status]) => `${status} ${code}`)
      // The router's answer to a known path with another method: no operation of the document returns it.
      .filter((entry) => entry !== '405 METHOD_NOT_ALLOWED');
    // Every (status, code) that some operation documents: each operation lists only its own codes.
    const inDocument = Object.values(document.paths).flatMap((operations) =>
      Object.values(operations).flatMap((operation) =>
        Object.entries(operation.responses).flatMap(([status, response]) =>
          (
            response.content?.['application/problem+json']?.schema.allOf?.find((part) => part.properties?.code)
              ?.properties?.code?.enum ?? []
          ).map((code) => `${status} ${code}`),
        ),
      ),
    );
    expect(inContract.length).toBeGreaterThan(0);
    expect([...new Set(inContract)].sort()).toEqual([...new Set(inDocument)].sort());
  });
});
