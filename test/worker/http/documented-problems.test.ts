// The check in support/api.ts that every problem the suite provokes is one its operation documents: it
// refuses an undocumented (status, code), and leaves alone what the document has no operation for.
import { describe, expect, it } from 'vitest';
import { BASE, documented } from '../support/api.ts';

function problem(status: number, code: string): Response {
  return new Response(JSON.stringify({ status, code }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

const request = (method: string, path: string) => new Request(`${BASE}${path}`, { method });

describe('the documented-problem check of the test client', () => {
  it('passes a code the operation documents for that status', async () => {
    const response = problem(401, 'TOKEN_EXPIRED');
    await expect(documented(request('GET', '/api/tasks?limit=5'), response)).resolves.toBe(response);
    await expect(documented(request('GET', '/api/tasks/7'), problem(404, 'NOT_FOUND'))).resolves.toBeDefined();
    // PATCH /api/tasks/live is the {id} route (id "live"), not the WebSocket's path
    await expect(
      documented(request('PATCH', '/api/tasks/live'), problem(400, 'VALIDATION_FAILED')),
    ).resolves.toBeDefined();
  });

  it('fails on a code the operation does not document, naming operation, status and code', async () => {
    await expect(documented(request('GET', '/api/tasks'), problem(401, 'INVALID_CREDENTIALS'))).rejects.toThrow(
      'GET /api/tasks (listTasks) answered 401 INVALID_CREDENTIALS, which its OpenAPI operation does not document (documented for 401: UNAUTHENTICATED, TOKEN_EXPIRED)',
    );
    await expect(documented(request('GET', '/api/tasks/7'), problem(400, 'TOKEN_INVALID'))).rejects.toThrow(
      'GET /api/tasks/{id} (getTask) answered 400 TOKEN_INVALID',
    );
    // a status the operation does not declare at all
    await expect(
      documented(request('POST', '/api/auth/password-reset'), problem(503, 'DATABASE_UNAVAILABLE')),
    ).rejects.toThrow('documented for 503: nothing');
  });

  it('leaves alone what the document has no operation for: unknown paths and wrong methods', async () => {
    await expect(documented(request('GET', '/api/nothing'), problem(404, 'NOT_FOUND'))).resolves.toBeDefined();
    await expect(documented(request('PUT', '/api/tasks'), problem(405, 'METHOD_NOT_ALLOWED'))).resolves.toBeDefined();
  });
});
