// The example app's email-link pages and field errors, in Chromium, against the real Worker under
// `wrangler dev` whose email goes to the test outbox and links to the app's origin (APP_URL): the
// verification link (/verify-email#token=…) verifies and the open task page hears of it; the reset link
// (/reset-password#token=…) sets a new password; errors the API ties to a field show beside that field.
// A Worker of its own: the auth routes allow 10 requests a minute per network, and these tests use 9.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AppFile, buildApp } from '../../examples/browser-app/build.ts';
import { type AppServer, serveApp } from '../../examples/browser-app/serve.ts';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';
import type { OutboxMessage } from '../../tools/local-platform/mail-outbox.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium.ts';
import { testWorkerBindings } from '../support/test-worker.ts';

if (!hasChromium) process.stdout.write(`example app links test SKIPPED: no Chromium at ${CHROMIUM}\n`);
const PASSWORD = 'links test password';

describe.skipIf(!hasChromium)('example app: email links and field errors', () => {
  let worker: WranglerDev;
  let app: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    let files: Map<string, AppFile> = new Map();
    app = await serveApp({ port: 0, apiUrl: () => worker.url, files: () => files });
    worker = await startWranglerDev(testWorkerBindings('example-links', { APP_URL: app.url, CORS_ORIGINS: app.url }));
    files = await buildApp({ apiUrl: worker.url });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await app?.close();
  });

  const newEmail = () => `links-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;

  async function submitAuth(tab: Page, button: '#signup' | '#signin', email: string, password = PASSWORD) {
    await tab.fill('#email', email);
    await tab.fill('#password', password);
    await tab.click(button);
  }

  /** A new browser context with the app open in a tab, signed up as a new user (the task page shown). */
  async function signedUpTab() {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(app.url);
    const email = newEmail();
    await submitAuth(tab, '#signup', email);
    await tab.waitForSelector('#signed-in', { state: 'visible' });
    return { context, tab, email };
  }

  /** The link to `path` in the newest email to `to` that has one (mail goes out after the answer). */
  async function emailedLink(to: string, path: '/verify-email' | '/reset-password'): Promise<string> {
    const pattern = new RegExp(`${app.url}${path}#token=[^\\s"<>]+`);
    let link: string | undefined;
    await expect
      .poll(async () => {
        const response = await fetch(`http://${inject('outbox')}/messages?to=${encodeURIComponent(to)}`);
        const { messages } = (await response.json()) as { messages: OutboxMessage[] };
        link = messages.map((message) => message.text.match(pattern)?.[0]).findLast(Boolean);
        return link;
      })
      .toBeDefined();
    return link!;
  }

  it('the verification link verifies the address, the open task page hears of it, and the link is then spent', async () => {
    const { context, tab: tasks, email } = await signedUpTab();
    await tasks.waitForSelector('#unverified', { state: 'visible' });

    const link = await emailedLink(email, '/verify-email');
    const verify = await context.newPage();
    await verify.goto(link);
    await expect.poll(() => verify.textContent('#status')).toBe('your address is verified');
    expect(verify.url()).toBe(`${app.url}/verify-email`); // the token is gone from the address bar
    // The task page, in another tab, stops asking without a reload (USER_UPDATED from the client).
    await tasks.waitForSelector('#unverified', { state: 'hidden' });

    const again = await context.newPage(); // a new page: the same URL in this one is only a fragment change
    await again.goto(link);
    await expect
      .poll(() => again.textContent('#status'))
      .toBe('this link has expired, was used already, or is for an address the account no longer has');
    await context.close();
  });

  it('errors the API ties to a field show beside it: a wrong current password, an address already taken', async () => {
    const { context, tab, email } = await signedUpTab();

    await tab.fill('#current-password', 'not the password');
    await tab.fill('#new-password', 'a brand new password');
    await tab.click('#change-password button');
    const current = tab.locator('#change-password .field-error[data-for="currentPassword"]');
    await expect.poll(() => current.textContent()).not.toBe('');
    expect(await tab.getAttribute('#current-password', 'aria-invalid')).toBe('true');
    expect(await tab.textContent('#status')).toBe('please check the marked fields');
    expect(await tab.isVisible('#signed-in')).toBe(true); // a wrong password is not a signed-out user

    await tab.click('#signout');
    await tab.waitForSelector('#auth', { state: 'visible' });
    await submitAuth(tab, '#signup', email);
    const taken = tab.locator('#auth .field-error[data-for="email"]');
    await expect.poll(() => taken.textContent()).not.toBe('');
    expect(await tab.textContent('#auth .field-error[data-for="password"]')).toBe('');
    await context.close();
  });

  it('the reset link sets a new password, which then signs in; the link is then spent', async () => {
    const { context, tab, email } = await signedUpTab();
    await tab.click('#signout');
    await tab.waitForSelector('#auth', { state: 'visible' });

    await tab.fill('#email', email);
    await tab.click('#forgot');
    await expect
      .poll(() => tab.textContent('#status'))
      .toBe('if that address has an account, a link to choose a new password is on its way');
    const link = await emailedLink(email, '/reset-password');
    const reset = await context.newPage();
    await reset.goto(link);
    expect(reset.url()).toBe(`${app.url}/reset-password`);
    await reset.fill('#new-password', 'my reset password');
    await reset.click('#reset button');
    await expect
      .poll(() => reset.textContent('#status'))
      .toBe('password changed, and every session of the account was signed out: sign in with the new password');

    await submitAuth(tab, '#signin', email, 'my reset password');
    await tab.waitForSelector('#signed-in', { state: 'visible' });

    const again = await context.newPage(); // a new page: the same URL in this one is only a fragment change
    await again.goto(link);
    await again.fill('#new-password', 'yet another password');
    await again.click('#reset button');
    await expect
      .poll(() => again.textContent('#status'))
      .toBe('this link has expired or was used already: ask for a new one from the sign-in page');
    await context.close();
  });
});
