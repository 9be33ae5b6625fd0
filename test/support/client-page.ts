// The page of test/node/client-browser.test.ts: the client package as an app ships it (the same minified
// bundle `npm run client:size` measures, openapi-fetch included), loaded by a page on its own loopback
// origin, which exposes the client to the test's page.evaluate calls. No app around it: what the tabs do
// is what the test tells them.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildClientForBrowsers } from '../../scripts/lib/client-bundle.ts';

export interface ClientPage {
  url: string;
  close(): Promise<void>;
}

// window.api: the client; window.events: its auth events in this tab; window.attempt(call): the call's
// value as { ok }, or its error's fields as { error } (page.evaluate cannot carry class instances).
const PAGE_SCRIPT = (apiUrl: string) => `
import { createTaskApi } from '/client.js';
const api = createTaskApi({ baseUrl: ${JSON.stringify(apiUrl)}, retry: { maxWaitSeconds: 5 } });
const events = [];
api.auth.onChange((event) => events.push(event));
async function attempt(call) {
  try {
    return { ok: await call(api) };
  } catch (error) {
    const { name, status, code, retryAfter } = error;
    return { error: { name, status, code, retryAfter } };
  }
}
Object.assign(window, { api, events, attempt });
`;

const HTML =
  '<!doctype html><meta charset="utf-8"><title>client test</title><script type="module" src="/page.js"></script>';

/**
 * Listens at once (port 0: the test binds it before starting the API with its origin); `apiUrl` is read
 * when the page is served.
 */
export async function serveClientPage(apiUrl: () => string): Promise<ClientPage> {
  const bundle = await buildClientForBrowsers();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://page').pathname;
    const body =
      path === '/' ? HTML : path === '/client.js' ? bundle : path === '/page.js' ? PAGE_SCRIPT(apiUrl()) : null;
    if (body === null) {
      response.writeHead(404).end();
      return;
    }
    const type = path === '/' ? 'text/html' : 'text/javascript';
    response.writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
