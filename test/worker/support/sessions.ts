// Session helpers: refreshing, and "is this access token dead on every authenticated route?" with the
// route list read from the served OpenAPI document.

import { expect } from 'vitest';
import type { SessionDto } from '../../../src/auth/schemas.ts';
import { api } from './api.ts';
import { authPost, bearer, freshIp } from './auth.ts';
import { OPENAPI_DOCUMENT } from './openapi-document.ts';

export function refresh(refreshToken: string, ip = freshIp()): Promise<Response> {
  return authPost('/api/auth/refresh', { refreshToken }, { 'CF-Connecting-IP': ip });
}

export async function refreshed(refreshToken: string): Promise<SessionDto> {
  const response = await refresh(refreshToken);
  expect(response.status).toBe(200);
  return (await response.json()) as SessionDto;
}

// A valid body for every secured operation that takes one, so that a dead session (not the body) is
// what a request is refused for. A secured operation with a body and no entry here fails the test.
const BODIES: Record<string, unknown> = {
  'POST /api/auth/password': { currentPassword: 'correct horse battery', newPassword: 'another long password' },
  'DELETE /api/auth/me': { password: 'correct horse battery' },
  'POST /api/tasks': { title: 'after the end' },
  'PATCH /api/tasks/{id}': { title: 'after the end' },
  'PUT /api/tasks/{id}': { title: 'after the end', description: null, completed: false },
};

interface Operation {
  security?: unknown[];
  requestBody?: { required?: boolean };
}

/** Every operation the document marks as secured, with a concrete path and a valid body. */
export async function securedOperations(taskId: number): Promise<{ method: string; path: string; body?: unknown }[]> {
  const doc = OPENAPI_DOCUMENT as { paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) => (operation.security?.length ?? 0) > 0)
      .map(([method, operation]) => {
        const key = `${method.toUpperCase()} ${path}`;
        // A body the operation requires; an optional one it ignores (the toggle's) needs no sample.
        if (operation.requestBody?.required) expect(BODIES, `a sample body for ${key}`).toHaveProperty([key]);
        const concrete = path.replace('{id}', path.startsWith('/api/tasks') ? String(taskId) : crypto.randomUUID());
        return { method: method.toUpperCase(), path: concrete, body: BODIES[key] };
      }),
  );
  expect(operations.length).toBeGreaterThanOrEqual(14);
  return operations;
}

/** The access token is refused (401) on every secured operation, the very next request. */
export async function expectDeadEverywhere(accessToken: string, taskId: number): Promise<void> {
  for (const { method, path, body } of await securedOperations(taskId)) {
    const response = await api(path, {
      method,
      headers: {
        ...bearer(accessToken),
        'CF-Connecting-IP': freshIp(),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}`).toBe(401);
    expect(((await response.json()) as { code: string }).code, `${method} ${path}`).toBe('UNAUTHENTICATED');
  }
}
