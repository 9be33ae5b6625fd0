// The Worker is built with Hono's TrieRouter alone (wrangler.toml [alias] of 'hono'; vitest.config.ts
// gives these tests the same alias), so every routing test in the suite exercises the deployed router.
import { UnsupportedPathError } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { api } from '../support/api.ts';

describe('router', () => {
  it('is TrieRouter, the router that Hono’s default SmartRouter falls back to for these routes', () => {
    const app = createApp();
    expect((app as unknown as { router: { name: string } }).router.name).toBe('TrieRouter');
    // SmartRouter tries RegExpRouter first: it cannot take this app's routes, so SmartRouter would
    // always have ended on TrieRouter.
    const regExpRouter = new RegExpRouter<unknown>();
    expect(() => {
      for (const route of app.routes) regExpRouter.add(route.method, route.path, route.handler);
      regExpRouter.match('GET', '/api/tasks/1');
    }).toThrow(UnsupportedPathError);
  });

  it('routes a path parameter, a static path beside it and an unknown path', async () => {
    expect((await api('/api/health/live')).status).toBe(200);
    expect((await api('/api/no-such-route')).status).toBe(404);
    // /api/tasks/changes is a static path beside /api/tasks/{id}, which would answer 400 for it.
    expect((await api('/api/tasks/changes?since=0')).status).toBe(401);
    expect((await api('/api/tasks/1')).status).toBe(401);
  });
});
