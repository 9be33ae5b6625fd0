// Docs and enforcement agree: every operation states its `security`; one that names the bearer scheme
// answers 401 without a token (and with a bad one), and a public one (`security: []`) does not. The route
// list comes from the served document, so a new route is covered the day it is added.

import { describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { bearer, freshIp } from '../support/auth.ts';
import { OPENAPI_DOCUMENT } from '../support/openapi-document.ts';

interface Operation {
  security?: unknown[];
}

async function operations(): Promise<{ method: string; path: string; secured: boolean }[]> {
  const doc = OPENAPI_DOCUMENT as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      // Never left to a default: `[]` (public) or the bearer scheme, on every operation.
      expect(operation.security, `${method} ${path} states its security`).toBeInstanceOf(Array);
      return {
        method: method.toUpperCase(),
        path: path.replace(/\{[^}]+\}/g, '1'),
        secured: (operation.security?.length ?? 0) > 0,
      };
    }),
  );
}

describe('authenticated routes, from the OpenAPI document', () => {
  it('security declared ⇔ 401 without a token', async () => {
    const all = await operations();
    // The whole list, so that a route added or made public shows up here as a change to review.
    expect(all.map(({ method, path, secured }) => `${method} ${path}${secured ? ' (bearer)' : ''}`).sort()).toEqual([
      'DELETE /api/auth/me (bearer)',
      'DELETE /api/auth/sessions/1 (bearer)',
      'DELETE /api/tasks/1 (bearer)',
      'GET /api/auth/me (bearer)',
      'GET /api/auth/sessions (bearer)',
      'GET /api/health',
      'GET /api/health/live',
      'GET /api/openapi.json',
      'GET /api/tasks (bearer)',
      'GET /api/tasks/1 (bearer)',
      'GET /api/tasks/changes (bearer)',
      // Its ticket is its credential (API.md, Live updates): 426 without Upgrade, 401 without a ticket.
      'GET /api/tasks/live',
      'PATCH /api/tasks/1 (bearer)',
      'PATCH /api/tasks/1/complete (bearer)',
      'POST /api/auth/password (bearer)',
      'POST /api/auth/password-reset',
      'POST /api/auth/password-reset/confirm',
      'POST /api/auth/refresh',
      'POST /api/auth/signin',
      'POST /api/auth/signout (bearer)',
      'POST /api/auth/signout-all (bearer)',
      'POST /api/auth/signup',
      'POST /api/auth/verify-email',
      'POST /api/auth/verify-email/request (bearer)',
      'POST /api/tasks (bearer)',
      'POST /api/tasks/live/ticket (bearer)',
      'PUT /api/tasks/1 (bearer)',
    ]);
    for (const { method, path, secured } of all) {
      const init = { method, headers: { 'CF-Connecting-IP': freshIp() } };
      const anonymous = await api(path, init);
      if (secured) {
        expect(anonymous.status, `${method} ${path}`).toBe(401);
        expect(((await anonymous.json()) as { code: string }).code, `${method} ${path}`).toBe('UNAUTHENTICATED');
        const forged = await api(path, { ...init, headers: { ...init.headers, ...bearer('forged.token.value') } });
        expect(forged.status, `${method} ${path} with a bad token`).toBe(401);
      } else {
        expect(anonymous.status, `${method} ${path}`).not.toBe(401);
        await anonymous.body?.cancel();
      }
    }
  });
});
