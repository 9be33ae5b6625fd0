// A real browser (Debian's Chromium, driven by playwright-core) uses the API from another origin:
// the page on an allowed origin signs up, creates, lists, toggles and deletes; a page on an origin
// not in CORS_ORIGINS is blocked by the browser itself. The Worker runs under `wrangler dev`.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/lib/local-postgres.ts';
import { ROOT } from '../../scripts/lib/migrations.ts';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stdout.write(
    `browser test SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`,
  );
}
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SECRET = 'browser-test-secret-0123456789-abcdefghijkl';
const PAGE = readFileSync(join(ROOT, 'test', 'browser', 'app.html'));

async function servePage(port: number): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe.skipIf(!hasChromium)('browser app on another origin', () => {
  let worker: WranglerDev;
  let browser: Browser;
  let allowedPage: Server;
  let blockedPage: Server;
  let allowedOrigin: string;
  let blockedOrigin: string;

  beforeAll(async () => {
    const [allowedPort, blockedPort] = [await freePort(), await freePort()];
    allowedOrigin = `http://127.0.0.1:${allowedPort}`;
    blockedOrigin = `http://127.0.0.1:${blockedPort}`;
    allowedPage = await servePage(allowedPort);
    blockedPage = await servePage(blockedPort);
    worker = await startWranglerDev({
      APP_ENV: 'test',
      BETTER_AUTH_SECRET: SECRET,
      DATABASE_URL: inject('databaseUrl'),
      LOCAL_DB_HTTP: new URL(inject('sqlEndpoint')).host,
      CORS_ORIGINS: allowedOrigin,
      BCRYPT_COST: '4',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    allowedPage?.close();
    blockedPage?.close();
  });

  async function openApp(origin: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/?api=${encodeURIComponent(worker.url)}`);
    return page;
  }

  async function signUp(page: Page) {
    await page.fill('#email', `browser-${Date.now()}@example.test`);
    await page.fill('#password', 'browser password');
    await page.click('#signup button');
  }

  it('signs up, creates, lists, toggles and deletes tasks cross-origin', async () => {
    const page = await openApp(allowedOrigin);
    await signUp(page);
    await expect.poll(() => page.textContent('#status')).toMatch(/^0 task\(s\)$/);
    for (const title of ['Buy milk', 'Write tests']) {
      await page.fill('#title', title);
      await page.click('#add button');
      await page.waitForSelector(`#tasks li:has-text("${title}")`);
    }
    expect(await page.locator('#tasks li span').allTextContents()).toEqual(['Write tests', 'Buy milk']);

    await page.locator('#tasks li:has-text("Buy milk") .toggle').check();
    await page.waitForSelector('#tasks li.done:has-text("Buy milk")');
    await page.locator('#tasks li:has-text("Write tests") .delete').click();
    await expect.poll(() => page.locator('#tasks li span').allTextContents()).toEqual(['Buy milk']);
    expect(await page.textContent('#status')).toBe('1 task(s)');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'browser-app.png'), fullPage: true });
    await page.close();
  });

  it('stays signed in across a reload and tabs, refreshes an expired access token, and signing out ends every tab', async () => {
    const context = await browser.newContext();
    const tabA = await context.newPage();
    await tabA.goto(`${allowedOrigin}/?api=${encodeURIComponent(worker.url)}`);
    await signUp(tabA);
    await expect.poll(() => tabA.textContent('#status')).toMatch(/^0 task\(s\)$/);
    await tabA.fill('#title', 'Survives a reload');
    await tabA.click('#add button');
    await tabA.waitForSelector('#tasks li:has-text("Survives a reload")');

    // A reload keeps the user signed in: the stored refresh token gets a new session from the API.
    const refreshedOnLoad = tabA.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'));
    await tabA.reload();
    expect((await refreshedOnLoad).status()).toBe(200);
    await tabA.waitForSelector('#tasks li:has-text("Survives a reload")');

    // The access token runs out: the app gets 401 TOKEN_EXPIRED, refreshes once, and carries on.
    const { user, sessionId } = (await tabA.evaluate('window.testHooks.session()')) as {
      user: { id: string };
      sessionId: string;
    };
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuedAt(now - 1000)
      .setExpirationTime(now - 100)
      .setIssuer('task-api')
      .setAudience('task-api')
      .sign(new TextEncoder().encode(SECRET));
    await tabA.evaluate(`window.testHooks.setAccessToken(${JSON.stringify(expired)})`);
    const statuses: string[] = [];
    tabA.on('response', (response) => statuses.push(`${response.status()} ${new URL(response.url()).pathname}`));
    await tabA.fill('#title', 'After expiry');
    await tabA.click('#add button');
    await tabA.waitForSelector('#tasks li:has-text("After expiry")');
    expect(statuses.slice(0, 3)).toEqual(['401 /api/tasks', '200 /api/auth/refresh', '201 /api/tasks']);

    // A second tab of the same origin is signed in too (same session, from the stored refresh token).
    const tabB = await context.newPage();
    await tabB.goto(`${allowedOrigin}/?api=${encodeURIComponent(worker.url)}`);
    await tabB.waitForSelector('#tasks li:has-text("After expiry")');

    // Sign out in tab A: tab B's very next request is refused.
    await tabA.click('#signout');
    await expect.poll(() => tabA.textContent('#status')).toBe('signed out');
    await tabB.fill('#title', 'Too late');
    await tabB.click('#add button');
    await expect.poll(() => tabB.textContent('#status')).toMatch(/^failed: 401 UNAUTHENTICATED/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await tabB.screenshot({ path: join(ARTIFACTS, 'browser-signed-out-tab.png'), fullPage: true });
    await context.close();
  });

  it('a page on an origin not in CORS_ORIGINS is blocked by the browser', async () => {
    const page = await openApp(blockedOrigin);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await signUp(page);
    await expect.poll(() => page.textContent('#status')).toMatch(/^failed: Failed to fetch/);
    expect(consoleErrors.join('\n')).toMatch(/CORS|Access-Control-Allow-Origin/);
    await page.close();
  });

  it('serves the interactive API reference offline: it renders the operations and "try it" reaches the API', async () => {
    const context = await browser.newContext();
    const offsite: string[] = [];
    // Nothing but loopback: the page must not need the internet (no CDN, no web fonts, no telemetry).
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
      offsite.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        violations.push(message.text());
    });
    const response = await page.goto(`${worker.url}/api/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await page.title()).toBe('Task API reference');
    // Every tag of operations is listed, and the health operation is rendered.
    for (const tag of ['Service', 'Auth', 'Tasks']) {
      await page.getByText(tag, { exact: true }).first().waitFor({ timeout: 30_000 });
    }
    await page.getByText('Liveness and database reachability').first().waitFor();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'api-docs-offline.png') });

    // "Try it": open the health operation's test client and send the request.
    await page.getByText('Liveness and database reachability').first().click();
    const sent = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/health', {
      timeout: 30_000,
    });
    await page
      .getByRole('button', { name: /Test Request/i })
      .first()
      .click();
    await page.getByRole('button', { name: /^Send/i }).first().click();
    const request = await sent;
    expect((await request.response())?.status()).toBe(200);
    await page.screenshot({ path: join(ARTIFACTS, 'api-docs-try-it.png') });
    expect(offsite).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  });
});
