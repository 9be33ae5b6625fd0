// Reading and answering JSON for the small loopback servers that stand in for cloud services in dev and
// tests (the SQL-over-HTTP endpoint, the mail outbox).
import type { IncomingMessage, ServerResponse } from 'node:http';

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
