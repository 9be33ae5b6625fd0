// The local stand-in for Neon's WebSocket proxy: Neon's serverless driver speaks the Postgres wire
// protocol over a WebSocket; this pipes each WebSocket to a TCP connection to a *local* Postgres.
// Only loopback targets are allowed, so the pipe can never be used to reach another machine.
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer as WebSocketServerType, RawData } from 'ws';

// `import from 'ws'` can resolve to ws's browser build under vitest; require() always gets the Node one.
const { WebSocketServer } = createRequire(import.meta.url)('ws') as typeof import('ws');

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export interface WsPipe {
  port: number;
  close(): Promise<void>;
}

/** Parses `?address=host:port`; returns null unless the host is a loopback address. */
export function localTarget(url: string | undefined): { host: string; port: number } | null {
  const address = new URL(url ?? '/', 'http://pipe').searchParams.get('address');
  const match = address?.match(/^(\[[^\]]+\]|[^:]+):(\d{1,5})$/);
  if (!match || !LOCAL_HOSTS.has(match[1])) return null;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return null;
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

export async function startWsPipe(port = 0, host = '127.0.0.1'): Promise<WsPipe> {
  const server: WebSocketServerType = new WebSocketServer({ host, port, perMessageDeflate: false });
  server.on('connection', (ws, request) => {
    const target = localTarget(request.url);
    if (!target) {
      ws.close(1008, 'only local Postgres targets are allowed');
      return;
    }
    const pending: Buffer[] = [];
    let connected = false;
    const tcp: Socket = connect(target.port, target.host, () => {
      connected = true;
      for (const chunk of pending) tcp.write(chunk);
      pending.length = 0;
    });
    tcp.setNoDelay(true);
    ws.on('message', (data: RawData) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
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
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
