// The client package in Chromium (playwright-core), several tabs of one origin in one browser context,
// against the real Worker under `wrangler dev` with 1-second access tokens (APP_ENV=test allows it; the
// API accepts a token 30 s past its expiry for clock skew, so a token is refused about 31 s after it was
// issued). The page is test/support/client-page.ts: the shipped bundle and nothing else.
//
// The test observes requests (context.on('request')) and, in two places, steps into the network with
// page routes: holding the tabs' refresh requests until all have been sent (then passing them to the
// API unchanged) to make them race, and answering refresh with 429 (a real 429 from the rate limit is
// client-api.test.ts's; here it would take every tab's refreshes away for a minute).

import type { Browser, BrowserContext, Page, Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium.ts';
import { type ClientPage, serveClientPage } from '../support/client-page.ts';
import { testWorkerBindings } from '../support/test-worker.ts';

if (!hasChromium) process.stdout.write(`client browser test SKIPPED: no Chromium at ${CHROMIUM}\n`);
const PASSWORD = 'client browser password';
const STORED_KEY = 'task-api.refreshToken';

interface Attempt<T = unknown> {
  ok?: T;
  error?: { name: string; status?: number; code?: string; retryAfter?: number };
}
interface PageSession {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
}

describe.skipIf(!hasChromium)('the client package in Chromium tabs', () => {
  let worker: WranglerDev;
  let page: ClientPage;
  let browser: Browser;

  beforeAll(async () => {
    page = await serveClientPage(() => worker.url);
    worker = await startWranglerDev(
      testWorkerBindings('client-browser', { CORS_ORIGINS: page.url, ACCESS_TOKEN_TTL_SECONDS: '1' }),
    );
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await page?.close();
  });

  async function openTabs(context: BrowserContext, count: number): Promise<Page[]> {
    const tabs: Page[] = [];
    for (let n = 0; n < count; n++) {
      const tab = await context.newPage();
      await tab.goto(page.url);
      await tab.waitForFunction('window.attempt !== undefined');
      tabs.push(tab);
    }
    return tabs;
  }

  /** `call` is the body of `(api) => …`, run in the tab. */
  const attempt = <T = unknown>(tab: Page, call: string) =>
    tab.evaluate(`attempt((api) => ${call})`) as Promise<Attempt<T>>;
  const sessionOf = (tab: Page) => tab.evaluate('api.auth.session()') as Promise<PageSession | null>;
  const eventsOf = (tab: Page) => tab.evaluate('events') as Promise<string[]>;
  const storedIn = (tab: Page) => tab.evaluate(`localStorage.getItem('${STORED_KEY}')`) as Promise<string | null>;

  async function signUp(tab: Page): Promise<PageSession> {
    const email = `client-browser-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const result = await attempt<PageSession>(tab, `api.auth.signUp({ email: '${email}', password: '${PASSWORD}' })`);
    expect(result.error).toBeUndefined();
    return result.ok!;
  }

  /** The refresh requests of every tab of the context, from now on. */
  function watchRefreshes(context: BrowserContext): Request[] {
    const seen: Request[] = [];
    context.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/auth/refresh')) seen.push(request);
    });
    return seen;
  }

  /** Which tab sent each refresh, with which stored token, and what came back: the message of a failure. */
  async function describeRefreshes(refreshes: Request[], tabs: Page[]): Promise<string> {
    const lines = await Promise.all(
      refreshes.map(async (request) => {
        const tab = tabs.indexOf(request.frame().page());
        const token = String((request.postDataJSON() as { refreshToken?: string }).refreshToken).slice(-8);
        const status = (await request.response())?.status() ?? request.failure()?.errorText;
        return `tab ${tab} sent …${token}: ${status}`;
      }),
    );
    return `refreshes: ${lines.join('; ')}`;
  }

  it('three tabs: an access token that ran out is refreshed once for all of them', async () => {
    const context = await browser.newContext();
    const [a, b, c] = await openTabs(context, 3);
    const { sessionId } = await signUp(a);
    for (const tab of [b, c])
      expect((await attempt<PageSession>(tab, 'api.auth.restore()')).ok?.sessionId).toBe(sessionId);
    // Every tab now holds the token of c's restore (the others adopted it from the broadcast).
    const { accessToken } = (await sessionOf(c))!;
    for (const tab of [a, b]) expect((await sessionOf(tab))?.accessToken).toBe(accessToken);

    // Wait until the API itself refuses that token as expired (about 31 s; see the top of the file).
    await expect
      .poll(
        async () => {
          const response = await fetch(`${worker.url}/api/tasks`, {
            headers: { Authorization: `Bearer ${accessToken}` },
          });
          return response.status === 401 ? ((await response.json()) as { code: string }).code : response.status;
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe('TOKEN_EXPIRED');

    const refreshes = watchRefreshes(context);
    const taskAnswers: number[] = [];
    context.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/tasks') taskAnswers.push(response.status());
    });
    const lists = await Promise.all([a, b, c].map((tab) => attempt(tab, 'api.tasks.list()')));
    expect(lists.map((list) => list.error)).toEqual([undefined, undefined, undefined]);
    expect(refreshes, await describeRefreshes(refreshes, [a, b, c])).toHaveLength(1);
    expect(taskAnswers.sort()).toEqual([200, 200, 200, 401, 401, 401]);
    const renewed = (await sessionOf(a))!;
    expect(renewed.accessToken).not.toBe(accessToken);
    for (const tab of [b, c]) expect((await sessionOf(tab))?.accessToken).toBe(renewed.accessToken);
    for (const tab of [a, b, c]) expect((await eventsOf(tab)).at(-1)).toBe('TOKEN_REFRESHED');
    expect(await storedIn(a)).toBe(renewed.refreshToken);
    await context.close();
  }, 120_000);

  for (const channel of ['BroadcastChannel', 'the storage event (no BroadcastChannel)']) {
    it(`two tabs: signing out in one signs the other out at once, through ${channel}`, async () => {
      const context = await browser.newContext();
      if (channel !== 'BroadcastChannel') await context.addInitScript('delete window.BroadcastChannel');
      const [a, b] = await openTabs(context, 2);
      expect(await b.evaluate('typeof BroadcastChannel')).toBe(
        channel === 'BroadcastChannel' ? 'function' : 'undefined',
      );
      await signUp(a);
      expect((await attempt(b, 'api.auth.restore()')).error).toBeUndefined();
      const fromB: string[] = [];
      b.on('request', (request) => fromB.push(request.url()));

      expect((await attempt(a, 'api.auth.signOut()')).error).toBeUndefined();
      await expect.poll(() => eventsOf(b)).toEqual(['SIGNED_IN', 'SIGNED_OUT']);
      expect(await sessionOf(b)).toBeNull();
      expect(fromB).toEqual([]); // told, not found out by a failing request
      expect(await storedIn(b)).toBeNull();
      // Nothing left to refresh with: a call is refused without trying.
      expect((await attempt(b, 'api.tasks.list()')).error).toMatchObject({ name: 'ApiError', status: 401 });
      expect(fromB.filter((url) => url.endsWith('/api/auth/refresh'))).toEqual([]);
      await context.close();
    });
  }

  it('two tabs: a password change in one keeps the other signed in, on the new session', async () => {
    const context = await browser.newContext();
    const [a, b] = await openTabs(context, 2);
    const before = await signUp(a);
    await attempt(b, 'api.auth.restore()');
    const refreshes = watchRefreshes(context);
    const changed = await attempt<PageSession>(
      a,
      `api.auth.changePassword({ currentPassword: '${PASSWORD}', newPassword: 'another password' })`,
    );
    expect(changed.ok?.sessionId).not.toBe(before.sessionId);
    await expect.poll(async () => (await sessionOf(b))?.sessionId).toBe(changed.ok?.sessionId);
    expect((await eventsOf(b)).at(-1)).toBe('USER_UPDATED');
    expect((await attempt(b, 'api.tasks.create({ title: "after the change" })')).error).toBeUndefined();
    expect(refreshes).toHaveLength(0);
    await context.close();
  });

  it('two tabs: a 429 on refresh keeps the session, waited out when short, surfaced when long', async () => {
    const context = await browser.newContext();
    const [a] = await openTabs(context, 1);
    const { sessionId } = await signUp(a);
    const stored = await storedIn(a);
    // Opened after the sign-up, so it did not hear of it: it has to refresh.
    const [b] = await openTabs(context, 1);
    const tooMany = (retryAfter: number) => (route: Route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/problem+json',
        headers: {
          'Retry-After': String(retryAfter),
          'Access-Control-Allow-Origin': page.url,
          'Access-Control-Expose-Headers': 'Retry-After',
        },
        body: JSON.stringify({ status: 429, code: 'RATE_LIMITED', detail: 'Too many refresh attempts' }),
      });

    // Retry-After 1: tab b waits a second and refreshes on its second try.
    const refreshes = watchRefreshes(context);
    await b.route('**/api/auth/refresh', tooMany(1), { times: 1 });
    const started = Date.now();
    expect((await attempt<PageSession>(b, 'api.auth.restore()')).ok?.sessionId).toBe(sessionId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(refreshes).toHaveLength(2);

    // Retry-After 30, over the page's maxWaitSeconds (5): the 429 comes back typed at once; nothing ends.
    const [c] = await openTabs(context, 1);
    await c.route('**/api/auth/refresh', tooMany(30));
    const limited = await attempt(c, 'api.auth.restore()');
    expect(limited.error).toEqual({ name: 'ApiError', status: 429, code: 'RATE_LIMITED', retryAfter: 30 });
    const kept = await storedIn(c);
    expect(kept).not.toBeNull();
    expect(kept).not.toBe(stored); // b's refresh rotated it; c's 429 left it alone
    for (const tab of [a, b, c]) expect(await eventsOf(tab)).not.toContain('SIGNED_OUT');
    expect((await attempt(a, 'api.tasks.list()')).error).toBeUndefined();
    await c.unroute('**/api/auth/refresh');
    expect((await attempt<PageSession>(c, 'api.auth.restore()')).ok?.sessionId).toBe(sessionId);
    await context.close();
  });

  it('three tabs without Web Locks refresh at once with the same token, and all end up signed in', async () => {
    const context = await browser.newContext();
    await context.addInitScript('Object.defineProperty(Navigator.prototype, "locks", { value: undefined })');
    const [first] = await openTabs(context, 1);
    await signUp(first);
    const stored = await storedIn(first);
    await first.close();

    // Hold each refresh until all three tabs have sent theirs, then pass them on to the API as they are.
    const held: Route[] = [];
    const release = () => Promise.all(held.splice(0).map((route) => route.continue()));
    const deadline = setTimeout(release, 20_000); // should the race not happen, fail on the checks below
    await context.route('**/api/auth/refresh', async (route) => {
      held.push(route);
      if (held.length === 3) await release();
    });
    const refreshes = watchRefreshes(context);
    const tabs = await openTabs(context, 3);
    expect(await tabs[0].evaluate('navigator.locks')).toBeUndefined();
    const restored = await Promise.all(tabs.map((tab) => attempt<PageSession>(tab, 'api.auth.restore()')));
    clearTimeout(deadline);

    expect(refreshes.map((request) => request.postDataJSON().refreshToken)).toEqual([stored, stored, stored]);
    const answers = await Promise.all(refreshes.map(async (request) => (await request.response())!));
    expect(answers.map((answer) => answer.status())).toEqual([200, 200, 200]);
    const rotatedTo = new Set(await Promise.all(answers.map(async (answer) => (await answer.json()).refreshToken)));
    expect(rotatedTo.size).toBe(1); // the API's 10-second grace: one new session for all three
    expect(restored.map((result) => result.error)).toEqual([undefined, undefined, undefined]);
    const [token] = rotatedTo;
    for (const tab of tabs) {
      expect((await sessionOf(tab))?.refreshToken).toBe(token);
      expect((await attempt(tab, 'api.tasks.list()')).error).toBeUndefined();
    }
    expect(await storedIn(tabs[0])).toBe(token);
    await context.close();
  });
});
