// GET /api/docs: the API reference is a static asset (scripts/build-docs-assets.mjs), not a route of the
// Worker, so it is tested through `wrangler dev`, which serves the Worker and its assets as a deployment
// does (the Workers vitest pool sends requests to the Worker only, never to its assets). The page loads
// scripts from this origin only, runs no inline script, and names no other host; the Chromium test
// (browser.test.ts) proves that it renders offline under this CSP and that "try it" works.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT } from '../../scripts/lib/migrations.ts';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';
import { OPENAPI_PATH } from '../../src/docs/document.ts';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
/** Any absolute or protocol-relative URL whose host is not loopback. */
const OFFSITE_URL = /(?:[a-z][a-z0-9+.-]*:)?\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/i;

describe('GET /api/docs (static assets)', () => {
  let worker: WranglerDev;

  beforeAll(async () => {
    worker = await startWranglerDev({
      APP_ENV: 'test',
      BETTER_AUTH_SECRET: 'docs-test-secret-0123456789-abcdefghijkl',
      DATABASE_URL: inject('databaseUrl'),
      LOCAL_DB_HTTP: new URL(inject('sqlEndpoint')).host,
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
  });

  const get = (path: string) => fetch(`${worker.url}${path}`, { redirect: 'manual' });

  it('is an HTML page under a CSP with no nonce, no inline script, no eval, and this origin only', async () => {
    const response = await get('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html\b/);
    const csp = response.headers.get('Content-Security-Policy');
    expect(csp).toBe(CSP);
    expect(csp).not.toContain('nonce-');
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp?.split('; ')).toContain("script-src 'self'");
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(response.headers.get('Strict-Transport-Security')).toBe('max-age=63072000; includeSubDomains');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300');

    const html = await response.text();
    expect(html).toContain('<title>Task API reference</title>');
    expect(html).not.toMatch(OFFSITE_URL); // no CDN, no font host
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts).toHaveLength(2);
    const sources = scripts.map(([, attributes, body]) => {
      expect(body.trim(), 'inline script').toBe('');
      const src = attributes.match(/\bsrc="([^"]+)"/)?.[1];
      expect(src, `<script${attributes}>`).toMatch(/^\/(?!\/)/); // a path on this origin
      return src as string;
    });
    expect(sources).toEqual(['/api/docs/scalar.js', '/api/docs/init.js']);
    for (const src of sources) {
      const script = await get(src);
      expect(script.status, src).toBe(200);
      expect(script.headers.get('Content-Type'), src).toMatch(/^text\/javascript\b/);
      expect(script.headers.get('X-Content-Type-Options'), src).toBe('nosniff');
      await script.arrayBuffer();
    }
  });

  it('starts the reference on this origin\u2019s document, without default fonts or telemetry', async () => {
    const init = await (await get('/api/docs/init.js')).text();
    expect(init).toContain(`"url":"${OPENAPI_PATH}"`);
    expect(init).toContain('"withDefaultFonts":false');
    expect(init).toContain('"telemetry":false');
    // Scalar's cloud features off, the bearer scheme ready in try-it.
    expect(init).toContain('"agent":{"disabled":true}');
    expect(init).toContain('"mcp":{"disabled":true}');
    expect(init).toContain('"showDeveloperTools":"never"');
    expect(init).toContain('"preferredSecurityScheme":"bearerAuth"');
    expect(init).not.toMatch(OFFSITE_URL);
  });

  it('is served at /api/docs only: /api/docs/ and /api/docs.html redirect there', async () => {
    for (const path of ['/api/docs/', '/api/docs.html']) {
      const response = await get(path);
      expect(response.status, path).toBe(307);
      expect(response.headers.get('Location'), path).toBe('/api/docs');
    }
  });

  it('serves the committed OpenAPI document (client/openapi.json) beside the page, naming its own origin', async () => {
    const response = await get(OPENAPI_PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json\b/);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const served = (await response.json()) as { paths: Record<string, unknown>; servers: unknown };
    const committed = JSON.parse(readFileSync(join(ROOT, 'client', 'openapi.json'), 'utf8'));
    expect(served).toEqual({ ...committed, servers: [{ url: '/' }] });
    expect(served.paths['/api/docs']).toBeUndefined();
  });
});
