// Serves the built app on its own origin (another port than the API, so every API call is
// cross-origin, as in production), with the security headers the README recommends for an app that
// keeps a refresh token in localStorage: a strict Content-Security-Policy (no inline or foreign script;
// fetch only to the API).
import { createServer, type Server } from 'node:http';
import type { AppFile } from './build.ts';

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Port 0 lets the system choose (the test binds its apps first, holding their ports, and only then
 * starts the API with their origins); `apiUrl` may then be given as a function read on each request.
 */
export async function serveApp(options: {
  port: number;
  apiUrl: string | (() => string);
  files: () => Promise<Map<string, AppFile>> | Map<string, AppFile>;
}): Promise<AppServer> {
  const apiUrl = options.apiUrl;
  const api = () => new URL(typeof apiUrl === 'function' ? apiUrl() : apiUrl);
  // The API's origin, and the same for its live WebSocket (ws:// or wss://: CSP does not derive it).
  const socketOrigin = () => api().origin.replace(/^http/, 'ws');
  const policy = () =>
    [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `connect-src ${api().origin} ${socketOrigin()}`,
      "base-uri 'none'",
      // The forms are handled by script; should it fail to load, a form must not send a password anywhere.
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://app').pathname;
    const file = (await options.files()).get(path === '/index.html' ? '/' : path);
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response
      .writeHead(200, {
        'Content-Type': file.type,
        'Content-Security-Policy': policy(),
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      })
      .end(request.method === 'HEAD' ? undefined : file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
