// The local stand-in for Neon's WebSocket proxy: Neon's serverless driver speaks the Postgres wire
// protocol over a WebSocket; this pipes each WebSocket to a TCP connection to a *local* Postgres.
// Only loopback targets are allowed, so the pipe can never be used to reach another machine, and
// upgrades that carry an Origin header are refused: every browser sends one with a WebSocket upgrade,
// so without this any web page the developer visits could open the local database. Neon's driver
// sends none (checked in workerd and in Node with ws).

import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RawData } from 'ws';
import { LOOPBACK_HOSTS } from '../../src/lib/loopback.ts';
import { StatementCounter } from './statement-counter.ts';

// `import from 'ws'` can resolve to ws's browser build under vitest; require() always gets the Node one.
const { WebSocketServer } = createRequire(import.meta.url)('ws') as typeof import('ws');

export interface WsPipe {
  port: number;
  close(): Promise<void>;
}

/** Parses `?address=host:port`; returns null unless the host is a loopback address. */
export function localTarget(url: string | undefined): { host: string; port: number } | null {
  const address = new URL(url ?? '/', 'http://pipe').searchParams.get('address');
  const match = address?.match(/^(\[[^\]]+\]|[^:]+):(\d{1,5})$/);
  if (!match || !LOOPBACK_HOSTS.has(match[1])) return null;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return null;
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/** Why an upgrade request must be refused, or null when it may become a pipe. */
export function refusal(request: IncomingMessage): string | null {
  if (request.headers.origin !== undefined) return 'upgrades from web pages (with an Origin header) are refused';
  if (!localTarget(request.url)) return 'only local Postgres targets (address=<loopback host>:<port>) are allowed';
  return null;
}

function refuse(socket: Duplex, reason: string): void {
  socket.end(
    `HTTP/1.1 403 ${STATUS_CODES[403]}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}

/**
 * Starts the pipe. With `countStatements`, it also answers `GET /statements?application_name=…` with
 * the number of statements connections of that application_name sent (tests and benchmarks).
 */
export async function startWsPipe(
  options: { port?: number; host?: string; countStatements?: boolean } = {},
): Promise<WsPipe> {
  const counter = options.countStatements ? new StatementCounter() : undefined;
  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://pipe');
    const application = url.searchParams.get('application_name');
    if (counter && url.pathname === '/statements' && application) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ statements: counter.count(application) }));
      return;
    }
    response.writeHead(404).end();
  });
  const server = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  // Checked before the upgrade completes: a refused request never becomes a WebSocket or a connection.
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const reason = refusal(request);
    if (reason) refuse(socket, reason);
    else server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
  });
  server.on('connection', (ws, request: IncomingMessage) => {
    const target = localTarget(request.url);
    if (!target) {
      ws.close(1008, 'only local Postgres targets are allowed');
      return;
    }
    const pending: Buffer[] = [];
    let connected = false;
    const observe = counter?.connection();
    const tcp: Socket = connect(target.port, target.host, () => {
      connected = true;
      for (const chunk of pending) tcp.write(chunk);
      pending.length = 0;
    });
    tcp.setNoDelay(true);
    ws.on('message', (data: RawData) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      observe?.(chunk);
      if (connected) tcp.write(chunk);
      else pending.push(chunk); // the driver sends before the TCP connect completes
    });
    tcp.on('data', (chunk) => ws.send(chunk));
    const closeBoth = () => {
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    ws.on('close', closeBoth);
    ws.on('error', closeBoth);
    tcp.on('close', closeBoth);
    tcp.on('error', closeBoth);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  return {
    port: (http.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close();
        http.close(() => resolve());
      }),
  };
}
