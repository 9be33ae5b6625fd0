// One rule for every task operation that takes no body: a body of any type is ignored, over 64 KiB it is
// 413 (src/http/json-body.ts ignoredBody). The operations come from the served OpenAPI document: those
// without a requestBody, and the one that declares its body ignored (IGNORED_REQUEST_BODY).

import { describe, expect, it } from 'vitest';
import { IGNORED_BODY_RULE, IGNORED_REQUEST_BODY, MAX_BODY_BYTES } from '../../../src/http/json-body.ts';
import { api } from '../support/api.ts';
import { bearer } from '../support/auth.ts';
import { OPENAPI_DOCUMENT } from '../support/openapi-document.ts';
import { newClient } from '../support/tasks.ts';

interface Operation {
  security?: unknown[];
  description?: string;
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

function takesIgnoredBody(operation: Operation): boolean {
  return JSON.stringify(operation.requestBody) === JSON.stringify(IGNORED_REQUEST_BODY);
}

async function bodylessTaskOperations() {
  const doc = OPENAPI_DOCUMENT as {
    paths: Record<string, Record<string, Operation>>;
  };
  return Object.entries(doc.paths)
    // The live socket is a WebSocket upgrade, not a request that could carry a body.
    .filter(([path]) => path.startsWith('/api/tasks') && path !== '/api/tasks/live')
    .flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.requestBody === undefined || takesIgnoredBody(operation))
        .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
    );
}

/** A request with a body of the given type. */
function withBody(method: string, token: string, body: string, contentType: string): RequestInit {
  return { method, headers: { ...bearer(token), 'Content-Type': contentType }, body };
}

describe('task operations that take no body', () => {
  it('say so in the OpenAPI document and list 413', async () => {
    const operations = await bodylessTaskOperations();
    expect(operations.map(({ method, path }) => `${method} ${path}`).sort()).toEqual([
      'DELETE /api/tasks/{id}',
      'GET /api/tasks',
      'GET /api/tasks/changes',
      'GET /api/tasks/{id}',
      'PATCH /api/tasks/{id}/complete',
      'POST /api/tasks/live/ticket',
    ]);
    for (const { method, path, operation } of operations) {
      expect(operation.description, `${method} ${path}`).toBe(IGNORED_BODY_RULE);
      expect(operation.responses['413'], `${method} ${path}`).toBeDefined();
    }
    // PATCH is where an app sends a body by habit: the toggle declares one, optional and ignored.
    const toggle = operations.find(({ path }) => path === '/api/tasks/{id}/complete');
    expect(toggle?.operation.requestBody).toEqual({
      required: false,
      description: IGNORED_BODY_RULE,
      content: { '*/*': { schema: {} } },
    });
  });

  it('ignore a small body of any type; refuse one over 64 KiB with 413 (every operation a request can carry a body on)', async () => {
    const client = await newClient();
    const operations = await bodylessTaskOperations();
    let exercised = 0;
    for (const { method, path } of operations) {
      // The Fetch API (and so workerd) cannot send a body with GET; those are covered by the same
      // middleware and by the document check above.
      if (method === 'GET') continue;
      exercised += 1;
      const task = await client.create();
      const url = path.replace('{id}', String(task.id));
      const big = await api(url, withBody(method, client.token, 'x'.repeat(MAX_BODY_BYTES + 1), 'text/plain'));
      expect(big.status, `${method} ${path} big`).toBe(413);
      expect(await big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      // Nothing happened: the task is as created.
      expect((await client.request('GET', `/api/tasks/${task.id}`)).headers.get('ETag')).toBe('"1"');

      for (const [body, type] of [
        ['not json at all', 'text/plain'],
        ['{"completed": true}', 'application/json'],
        ['x'.repeat(MAX_BODY_BYTES), 'application/octet-stream'],
      ]) {
        const again = await client.create();
        const target = path.replace('{id}', String(again.id));
        const response = await api(target, withBody(method, client.token, body, type));
        const success = method === 'DELETE' ? 204 : method === 'POST' ? 201 : 200;
        expect(response.status, `${method} ${path} with ${type}`).toBe(success);
        await response.body?.cancel();
      }
    }
    expect(exercised).toBe(3);
  });
});

describe('authenticated operations outside /api/tasks that take no body', () => {
  it('follow the same rule: documented, and a body over 64 KiB is 413 before anything happens', async () => {
    const doc = OPENAPI_DOCUMENT as {
      paths: Record<string, Record<string, Operation>>;
    };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => !path.startsWith('/api/tasks'))
      .flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, operation]) => operation.requestBody === undefined && (operation.security?.length ?? 0) > 0)
          .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
      );
    expect(operations.length).toBeGreaterThanOrEqual(6);
    const client = await newClient();
    for (const { method, path, operation } of operations) {
      expect(operation.description, `${method} ${path}`).toBe(IGNORED_BODY_RULE);
      expect(operation.responses['413'], `${method} ${path}`).toBeDefined();
      if (method === 'GET') continue; // fetch cannot send a body with GET
      const url = path.replace('{id}', crypto.randomUUID());
      const big = await api(url, {
        ...withBody(method, client.token, 'x'.repeat(MAX_BODY_BYTES + 1), 'text/plain'),
        headers: { ...bearer(client.token), 'Content-Type': 'text/plain', 'CF-Connecting-IP': '10.77.0.1' },
      });
      expect(big.status, `${method} ${path}`).toBe(413);
    }
    // Nothing happened: the session still works (sign-out and sign-out-all were refused, not run).
    expect((await api('/api/auth/me', { headers: bearer(client.token) })).status).toBe(200);
  });
});
