// What the small loopback servers that stand in for cloud services in dev and tests (the SQL-over-HTTP
// endpoint, the mail outbox) share: who may talk to them, reading a bounded body, answering JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHostPort } from '../../src/lib/loopback.ts';

/**
 * Why a request must be refused (403), or null. These servers carry secrets over plain HTTP (connection
 * strings, reset links), so only local programs may use them, never a web page the developer visits:
 * - its Host must be a loopback name with this server's port: a page that rebinds its own DNS name to
 *   127.0.0.1 still sends that name;
 * - no Origin: browsers send one with every POST and every cross-origin request;
 * - no Sec-Fetch-Site/-Dest/-User, no Sec-Fetch-Mode but `cors`: browsers send that set to loopback (a
 *   potentially trustworthy origin) on every request. Node's fetch sends `Sec-Fetch-Mode: cors` alone,
 *   and a browser's `cors` request always carries Origin too, so that one value is let through.
 */
export function refusal(request: IncomingMessage, port: number): string | null {
  const { headers } = request;
  if (!isLoopbackHostPort(headers.host ?? '', port)) return 'only a loopback Host with this port is served';
  if (headers.origin !== undefined) return 'requests from web pages (with an Origin header) are refused';
  const browser =
    headers['sec-fetch-site'] !== undefined ||
    headers['sec-fetch-dest'] !== undefined ||
    headers['sec-fetch-user'] !== undefined ||
    (headers['sec-fetch-mode'] !== undefined && headers['sec-fetch-mode'] !== 'cors');
  return browser ? 'requests from browsers (with Sec-Fetch-* headers) are refused' : null;
}

/** The request says its body is JSON (`application/json`, parameters such as charset allowed). */
export function hasJsonBody(request: IncomingMessage): boolean {
  return request.headers['content-type']?.split(';')[0].trim().toLowerCase() === 'application/json';
}

/** The request body as text; rejects with `tooLarge()` (and drops the connection) past `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number, tooLarge: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(tooLarge());
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
