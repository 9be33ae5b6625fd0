// A real browser (Debian's Chromium, driven by playwright-core) uses the API from another origin, through
// the example app (examples/browser-app, on @task-api/client), built here with esbuild so the test needs
// no prior build. On an allowed origin it signs up, pages, creates, edits, toggles, deletes, keeps the
// session across a reload and tabs, changes the password and ends other sessions; on an origin not in
// CORS_ORIGINS the browser itself blocks it. The Worker runs under `wrangler dev`. The app's email-link
// pages and field errors: example-app-links.test.ts.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AppFile, buildApp } from '../../examples/browser-app/build.ts';
import { type AppServer, serveApp } from '../../examples/browser-app/serve.ts';
import { ROOT } from '../../scripts/lib/migrations.ts';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium.ts';

if (!hasChromium) {
  process.stdout.write(
    `browser test SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`,
  );
}
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SECRET = 'browser-test-secret-0123456789-abcdefghijkl';
const PASSWORD = 'browser password';

interface TestSession {
  user: { id: string; email: string };
  sessionId: string;
  accessToken: string;
}

describe.skipIf(!hasChromium)('example browser app on another origin', () => {
  let worker: WranglerDev;
  let browser: Browser;
  let allowedApp: AppServer;
  let blockedApp: AppServer;

  beforeAll(async () => {
    // The apps are listening (their ports held) before the API starts with their origins: a port only
    // chosen here and bound after wrangler's start-up could be taken by then (CI saw EADDRINUSE).
    let files: Map<string, AppFile> = new Map();
    const apiUrl = () => worker.url;
    allowedApp = await serveApp({ port: 0, apiUrl, files: () => files });
    blockedApp = await serveApp({ port: 0, apiUrl, files: () => files });
    worker = await startWranglerDev({
      APP_ENV: 'test',
      BETTER_AUTH_SECRET: SECRET,
      DATABASE_URL: inject('databaseUrl'),
      LOCAL_DB_HTTP: new URL(inject('sqlEndpoint')).host,
      CORS_ORIGINS: allowedApp.url,
      BCRYPT_COST: '4',
    });
    // The test's build exposes window.testHooks (to inject an expired access token); the same app
    // is served on an allowed and on a refused origin.
    files = await buildApp({ apiUrl: worker.url, testHooks: true });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await allowedApp?.close();
    await blockedApp?.close();
  });

  async function openApp(at: BrowserContext | Browser, url = allowedApp.url): Promise<Page> {
    const page = await at.newPage();
    await page.goto(url);
    return page;
  }

  async function signUp(page: Page): Promise<string> {
    const email = `browser-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('#signup');
    return email;
  }

  async function signIn(page: Page, email: string, password = PASSWORD) {
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('#signin');
  }

  const session = (page: Page) => page.evaluate('window.testHooks.session()') as Promise<TestSession>;
  const titles = (page: Page) => page.locator('#tasks li .title').allTextContents();

  async function addTask(page: Page, title: string) {
    await page.fill('#title', title);
    await page.click('#add button');
    await page.waitForSelector(`#tasks li:has-text("${title}")`);
  }

  /** The API called directly (not through the page), as the same user. */
  async function apiCall(page: Page, method: string, path: string, body?: unknown): Promise<Response> {
    const { accessToken } = await session(page);
    return fetch(`${worker.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  it('bundles no server code and, unless asked, no test hooks', async () => {
    const shipped = (await buildApp({ apiUrl: worker.url })).get('/main.js')!.body.toString();
    // About 27 KB of it are @task-api/client and openapi-fetch, unminified (the app's build stays
    // readable); any server code (zod alone is far larger) would break the limit.
    expect(shipped.length).toBeLessThan(45_000);
    expect(shipped).not.toMatch(/zod|drizzle|bcrypt|testHooks/i);
    expect(shipped).toContain(JSON.stringify(worker.url)); // compiled in
  });

  it('signs up, creates, lists, toggles and deletes tasks cross-origin', async () => {
    const page = await openApp(browser);
    await signUp(page);
    await expect.poll(() => page.textContent('#count')).toBe('0 task(s)');
    for (const title of ['Buy milk', 'Write tests']) await addTask(page, title);
    expect(await titles(page)).toEqual(['Write tests', 'Buy milk']);

    await page.locator('#tasks li:has-text("Buy milk") .toggle').check();
    await page.waitForSelector('#tasks li.done:has-text("Buy milk")');
    await page.locator('#tasks li:has-text("Write tests") .delete').click();
    await expect.poll(() => titles(page)).toEqual(['Buy milk']);
    expect(await page.textContent('#count')).toBe('1 task(s)');

    // What the page shows is what the API holds.
    await page.reload();
    await page.waitForSelector('#tasks li.done:has-text("Buy milk")');
    expect(await titles(page)).toEqual(['Buy milk']);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'browser-app.png'), fullPage: true });
    await page.close();
  });

  it('loads more pages with the cursor until there are no more', async () => {
    const page = await openApp(browser);
    await signUp(page);
    await expect.poll(() => page.textContent('#count')).toBe('0 task(s)');
    for (let n = 1; n <= 23; n++) {
      expect((await apiCall(page, 'POST', '/api/tasks', { title: `Task ${n}` })).status).toBe(201);
    }
    await page.reload();
    await expect.poll(() => page.textContent('#count')).toBe('10 task(s), more to load');
    await page.click('#more');
    await expect.poll(() => page.textContent('#count')).toBe('20 task(s), more to load');
    await page.click('#more');
    await expect.poll(() => page.textContent('#count')).toBe('23 task(s)');
    expect(await page.isHidden('#more')).toBe(true);
    // Newest first, each task once.
    expect(await titles(page)).toEqual(Array.from({ length: 23 }, (_, i) => `Task ${23 - i}`));
    await page.close();
  });

  it('edits a title; an edit that lost a race (a real 412) shows the other change', async () => {
    const page = await openApp(browser);
    await signUp(page);
    await addTask(page, 'Draft title');
    await page.click('#tasks li:has-text("Draft title") .edit');
    await page.fill('#tasks .edit-title', 'Final title');
    await page.click('#tasks .edit-form button');
    await expect.poll(() => titles(page)).toEqual(['Final title']);
    expect(await page.textContent('#status')).toBe('saved');
    await page.reload();
    await expect.poll(() => titles(page)).toEqual(['Final title']);

    // The edit starts from the task as it is (GET, ETag "2" after the first edit); meanwhile another tab
    // renames it; the save carries If-Match "2", the API refuses it (412), and the app shows theirs.
    const ifMatch: Array<string | undefined> = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') ifMatch.push(request.headers()['if-match']);
    });
    await page.click('#tasks li:has-text("Final title") .edit');
    await page.waitForSelector('#tasks .edit-title');
    const listed = (await (await apiCall(page, 'GET', '/api/tasks')).json()) as { items: Array<{ id: number }> };
    const { id } = listed.items[0];
    expect((await apiCall(page, 'PATCH', `/api/tasks/${id}`, { title: 'Renamed elsewhere' })).status).toBe(200);
    await page.fill('#tasks .edit-title', 'My late edit');
    await page.click('#tasks .edit-form button');
    await expect.poll(() => page.textContent('#status')).toBe('changed elsewhere, reloaded');
    expect(ifMatch).toEqual(['"2"']);
    expect(await titles(page)).toEqual(['Renamed elsewhere']);
    // Now on the current version, the same edit goes through.
    await page.click('#tasks li:has-text("Renamed elsewhere") .edit');
    await page.fill('#tasks .edit-title', 'My late edit');
    await page.click('#tasks .edit-form button');
    await expect.poll(() => titles(page)).toEqual(['My late edit']);
    expect(ifMatch).toEqual(['"2"', '"3"']);
    await page.close();
  });

  it('stays signed in across a reload and tabs, refreshes an expired access token, and signing out ends every tab', async () => {
    const context = await browser.newContext();
    const tabA = await openApp(context);
    await signUp(tabA);
    await expect.poll(() => tabA.textContent('#count')).toBe('0 task(s)');
    await addTask(tabA, 'Survives a reload');

    // A reload keeps the user signed in: the stored refresh token gets a new session from the API.
    const refreshedOnLoad = tabA.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'));
    // The page's live subscription reads the changes feed once its socket is ready: let it, so that the
    // expired token below meets the create first.
    const caughtUp = tabA.waitForResponse((r) => new URL(r.url()).pathname === '/api/tasks/changes');
    await tabA.reload();
    expect((await refreshedOnLoad).status()).toBe(200);
    await tabA.waitForSelector('#tasks li:has-text("Survives a reload")');
    expect((await caughtUp).status()).toBe(200);

    // The access token runs out: the app gets 401 TOKEN_EXPIRED, refreshes once, and carries on.
    const { user, sessionId } = await session(tabA);
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuedAt(now - 1000)
      .setExpirationTime(now - 100)
      .setIssuer('task-api')
      .setAudience('task-api')
      .sign(new TextEncoder().encode(SECRET));
    await tabA.evaluate(`window.testHooks.expireAccessToken(${JSON.stringify(expired)})`);
    const statuses: string[] = [];
    // Only the create and the refresh it needs: the reload's other requests (the sessions list) may
    // still be answering on a busy machine.
    tabA.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (pathname === '/api/tasks' || pathname === '/api/auth/refresh')
        statuses.push(`${response.status()} ${pathname}`);
    });
    await addTask(tabA, 'After expiry');
    // Polled: the row may show (from the live change) before the create's answer is reported here.
    await expect
      .poll(() => statuses.slice(0, 3))
      .toEqual(['401 /api/tasks', '200 /api/auth/refresh', '201 /api/tasks']);

    // A second tab of the same origin is signed in too (same session, from the stored refresh token).
    const tabB = await context.newPage();
    const bCaughtUp = tabB.waitForResponse((r) => new URL(r.url()).pathname === '/api/tasks/changes');
    await tabB.goto(allowedApp.url);
    await tabB.waitForSelector('#tasks li:has-text("After expiry")');
    await bCaughtUp; // its live subscription has started: its requests are done

    // Sign out in tab A: tab B is told at once, without a request of its own, and shows the sign-in form.
    const fromB: string[] = [];
    tabB.on('request', (request) => fromB.push(request.url()));
    await tabA.click('#signout');
    await expect.poll(() => tabA.textContent('#status')).toBe('signed out');
    await tabB.waitForSelector('#auth', { state: 'visible' });
    expect(await tabB.textContent('#status')).toBe('signed out: your session has ended; please sign in again');
    expect(await tabB.isHidden('#signed-in')).toBe(true);
    expect(fromB).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await tabB.screenshot({ path: join(ARTIFACTS, 'browser-signed-out-tab.png'), fullPage: true });
    await context.close();
  });

  it('the list follows changes live: made in another tab or on another device, shown without a reload', async () => {
    // The account is made from a network of its own, outside the browser: the browser's own address has
    // the auth attempts of the other tests to spend (10 a minute). The tabs restore its session.
    const signup = await fetch(`${worker.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '10.79.0.1' },
      body: JSON.stringify({ email: `live-${Date.now()}@example.test`, password: PASSWORD }),
    });
    const { refreshToken } = (await signup.json()) as { refreshToken: string };
    const context = await browser.newContext();
    const tabA = await openApp(context);
    await tabA.evaluate(`localStorage.setItem('task-api.refreshToken', ${JSON.stringify(refreshToken)})`);
    await tabA.reload();
    await expect.poll(() => tabA.textContent('#count')).toBe('0 task(s)');
    const tabB = await openApp(context); // the same session, from the stored refresh token
    await expect.poll(() => tabB.textContent('#count')).toBe('0 task(s)');
    const fromB: string[] = [];
    tabB.on('request', (request) => fromB.push(`${request.method()} ${new URL(request.url()).pathname}`));

    await addTask(tabA, 'Made in tab A');
    await tabB.waitForSelector('#tasks li:has-text("Made in tab A")');
    await tabA.locator('#tasks li:has-text("Made in tab A") .toggle').check();
    await tabB.waitForSelector('#tasks li.done:has-text("Made in tab A")');
    // Another device: the API called directly.
    const { id } = ((await (await apiCall(tabA, 'GET', '/api/tasks')).json()) as { items: { id: number }[] }).items[0];
    expect((await apiCall(tabA, 'PATCH', `/api/tasks/${id}`, { title: 'Renamed on a phone' })).status).toBe(200);
    for (const tab of [tabA, tabB]) await tab.waitForSelector('#tasks li:has-text("Renamed on a phone")');
    await tabB.locator('#tasks li:has-text("Renamed on a phone") .delete').click();
    await expect.poll(() => titles(tabA)).toEqual([]);
    expect(await tabA.textContent('#count')).toBe('0 task(s)');
    // Tab B learnt all this from its socket: it never asked for the list or a task meanwhile (only, once,
    // for the changes feed after its socket said ready).
    expect(fromB.filter((request) => /^GET \/api\/tasks(\/\d+)?$/.test(request))).toEqual([]);
    await context.close();
  });

  it("two devices: signing out on one closes only its live socket; a password change closes both devices' sockets", async () => {
    // Every WebSocket the page opens, with its close code and the changes it carried. The accounts are
    // made outside the browser from networks of their own (the browser's address has the other tests'
    // auth attempts to spend), and the pages restore their sessions from a stored refresh token.
    const RECORD_SOCKETS = `{
      const Native = window.WebSocket;
      window.liveSockets = [];
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          const entry = { ready: false, changes: 0, code: null };
          window.liveSockets.push(entry);
          this.addEventListener('message', (event) => {
            if (event.data === '{"type":"ready"}') entry.ready = true;
            else if (String(event.data).startsWith('{"type":"change"')) entry.changes++;
          });
          this.addEventListener('close', (event) => (entry.code = event.code));
        }
      };
    }`;
    type Recorded = { ready: boolean; changes: number; code: number | null };
    const sockets = (page: Page) => page.evaluate('window.liveSockets') as Promise<Recorded[]>;
    const email = `two-devices-${Date.now()}@example.test`;
    const authFetch = async (path: string, ip: string, body: unknown, token?: string) => {
      const response = await fetch(`${worker.url}${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'CF-Connecting-IP': ip,
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return (await response.json()) as { accessToken: string; refreshToken: string };
    };
    const first = await authFetch('/api/auth/signup', '10.79.1.1', { email, password: PASSWORD });
    const second = await authFetch('/api/auth/signin', '10.79.1.2', { email, password: PASSWORD });
    const create = async (title: string) => {
      const response = await fetch(`${worker.url}/api/tasks`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${second.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      expect(response.status).toBe(201);
    };
    async function device(refreshToken: string) {
      const context = await browser.newContext();
      await context.addInitScript(RECORD_SOCKETS);
      const page = await openApp(context);
      await page.evaluate(`localStorage.setItem('task-api.refreshToken', ${JSON.stringify(refreshToken)})`);
      await page.reload();
      await expect.poll(async () => (await sockets(page)).map((socket) => socket.ready)).toEqual([true]);
      return { context, page };
    }
    const a = await device(first.refreshToken);
    const b = await device(second.refreshToken);
    await create('Seen by both');
    for (const { page } of [a, b]) await page.waitForSelector('#tasks li:has-text("Seen by both")');

    // Sign out on device A: its socket closes. The page closes it itself (1000) once the sign-out is
    // answered, and the Worker closes it too (4401, as test/worker/live/live.test.ts checks); whichever
    // comes first gives the code.
    await a.page.click('#signout');
    await expect.poll(() => a.page.textContent('#status')).toBe('signed out');
    await expect.poll(async () => [4401, 1000].includes((await sockets(a.page))[0].code ?? 0)).toBe(true);
    // Device B's socket, the same one, is open and still carries changes.
    await create('After A signed out');
    await b.page.waitForSelector('#tasks li:has-text("After A signed out")');
    expect(await sockets(b.page)).toEqual([{ ready: true, changes: 2, code: null }]);

    // Device A signs in again (a new session, a new socket); then a password change, made elsewhere,
    // ends both sessions: the Worker closes both devices' sockets with 4401.
    const third = await authFetch('/api/auth/signin', '10.79.1.3', { email, password: PASSWORD });
    await a.page.evaluate(`localStorage.setItem('task-api.refreshToken', ${JSON.stringify(third.refreshToken)})`);
    await a.page.reload();
    await expect.poll(async () => (await sockets(a.page)).map((socket) => socket.ready)).toEqual([true]);
    const passwordBody = { currentPassword: PASSWORD, newPassword: 'another browser password' };
    await authFetch('/api/auth/password', '10.79.1.4', passwordBody, second.accessToken);
    for (const { page } of [a, b]) await expect.poll(async () => (await sockets(page))[0].code).toBe(4401);
    for (const { page } of [a, b])
      await expect
        .poll(() => page.textContent('#status'))
        .toBe('signed out: your session has ended; please sign in again');
    await a.context.close();
    await b.context.close();
  });

  it('lists sessions, signs another device out, and a password change ends the other sessions', async () => {
    const laptop = await browser.newContext(); // two contexts: two devices (no shared storage)
    const phone = await browser.newContext();
    const onLaptop = await openApp(laptop);
    const email = await signUp(onLaptop);
    await onLaptop.waitForSelector('#sessions li.current');
    const onPhone = await openApp(phone);
    await signIn(onPhone, email);
    await onPhone.waitForSelector('#sessions li.current');

    await onLaptop.click('#reload-sessions');
    await expect.poll(() => onLaptop.locator('#sessions li').count()).toBe(2);
    const phoneId = (await session(onPhone)).sessionId;
    expect(await onLaptop.getAttribute('#sessions li:not(.current)', 'data-id')).toBe(phoneId);
    mkdirSync(ARTIFACTS, { recursive: true });
    await onLaptop.screenshot({ path: join(ARTIFACTS, 'browser-app-sessions.png'), fullPage: true });

    // "Sign out this device" on the phone's row: the phone's next request is refused.
    await onLaptop.click('#sessions li:not(.current) .end');
    await expect.poll(() => onLaptop.locator('#sessions li').count()).toBe(1);
    await onPhone.click('#reload-sessions');
    await expect
      .poll(() => onPhone.textContent('#status'))
      .toBe('signed out: your session has ended; please sign in again');

    // The phone signs in again; then the laptop changes the password: the laptop carries on with the
    // new session it got back, the phone's session has ended, and only the new password works.
    await signIn(onPhone, email);
    await onPhone.waitForSelector('#sessions li.current');
    await onLaptop.fill('#current-password', PASSWORD);
    await onLaptop.fill('#new-password', 'a brand new password');
    await onLaptop.click('#change-password button');
    await expect
      .poll(() => onLaptop.textContent('#status'))
      .toBe('password changed; every other session was signed out');
    await expect.poll(() => onLaptop.locator('#sessions li').count()).toBe(1);
    await addTask(onLaptop, 'After the password change');
    await onLaptop.reload();
    await onLaptop.waitForSelector('#tasks li:has-text("After the password change")');

    await onPhone.fill('#title', 'Old session');
    await onPhone.click('#add button');
    await expect
      .poll(() => onPhone.textContent('#status'))
      .toBe('signed out: your session has ended; please sign in again');
    await signIn(onPhone, email);
    await expect.poll(() => onPhone.textContent('#status')).toMatch(/^failed: 401 INVALID_CREDENTIALS/);
    await signIn(onPhone, email, 'a brand new password');
    await onPhone.waitForSelector('#tasks li:has-text("After the password change")');
    await laptop.close();
    await phone.close();
  });

  it('a page on an origin not in CORS_ORIGINS is blocked by the browser', async () => {
    const page = await openApp(browser, blockedApp.url);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await signUp(page);
    await expect
      .poll(() => page.textContent('#status'))
      .toMatch(/^failed: The Task API could not be reached: Failed to fetch/);
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
    // Any console error (a CSP refusal, a cloud feature that cannot load offline) fails the page.
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
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
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
