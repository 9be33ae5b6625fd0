// A small loopback HTTP fake of the Task API, ONLY for the unit tests of the client package's own logic
// (test/node/client-refresh.test.ts, client-tasks.test.ts). It answers whatever a test scripts: 429 and
// 503 on demand, a reset connection, an answer that never comes — what the real API does only under load
// or in an outage. The client against the real Worker is tested in client-api.test.ts and
// client-browser.test.ts; the API's own behaviour by the worker tests.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../tools/local-platform/local-http.ts';

export type Answer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** The connection is dropped without an answer. */
  | 'reset'
  /** No answer, ever (until the client gives up). */
  | 'hang';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakeApi {
  url: string;
  /** Every request, in order. */
  received: Received[];
  close(): Promise<void>;
}

export async function startFakeApi(answer: (request: Received) => Answer | Promise<Answer>): Promise<FakeApi> {
  const received: Received[] = [];
  const server = createServer(async (request, response) => {
    const text = await readBody(request, 1 << 20, () => new Error('too large'));
    const seen: Received = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    received.push(seen);
    const reply = await answer(seen);
    if (reply === 'reset') return request.socket.destroy();
    if (reply === 'hang') return;
    const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
    const type = reply.status >= 400 ? 'application/problem+json' : 'application/json';
    response.writeHead(reply.status, { ...(body ? { 'Content-Type': type } : {}), ...reply.headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A problem answer as the API writes it. */
export function problem(status: number, code: string, headers: Record<string, string> = {}): Answer {
  return { status, headers, body: { type: 'about:blank', title: code, status, detail: code, code, requestId: 'r' } };
}

/** The n-th session the fake hands out: access-n and refresh-n. */
export function fakeSession(n: number) {
  return {
    user: {
      id: '0b9e1f4e-5a0c-4a5e-9d57-4f1c2f0e8b11',
      email: 'ada@example.test',
      emailVerified: false,
      createdAt: '2026-02-04T10:11:12.345Z',
      updatedAt: '2026-02-04T10:11:12.345Z',
    },
    sessionId: '7d1f0c52-9b0e-4c8e-8f0a-2f4f1b3c5d6e',
    accessToken: `access-${n}`,
    tokenType: 'Bearer' as const,
    expiresIn: 900,
    refreshToken: `refresh-${n}`,
    refreshExpiresAt: '2026-02-11T10:11:12.345Z',
  };
}
