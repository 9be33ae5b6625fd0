// The local WebSocket pipe (scripts/lib/ws-pipe.ts) reaches the developer's Postgres, so it must not
// serve web pages: an upgrade with an Origin header (every browser sends one) is refused before any
// TCP connection is made, and only loopback targets are piped. Neon's driver sends no Origin.
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTarget, startWsPipe, type WsPipe } from '../../scripts/lib/ws-pipe.ts';

const { WebSocket } = createRequire(import.meta.url)('ws') as typeof import('ws');

type Outcome = { opened: true; echo: string } | { opened: false; status: number; body: string };

function open(url: string, headers: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => resolve({ opened: false, status: response.statusCode ?? 0, body }));
    });
    ws.once('open', () => ws.send(Buffer.from('ping')));
    ws.once('message', (data: Buffer) => {
      ws.close();
      resolve({ opened: true, echo: data.toString() });
    });
    ws.once('close', (code) => resolve({ opened: true, echo: `closed ${code}` }));
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('local WebSocket pipe', () => {
  let pipe: WsPipe;
  let target: Server;
  let targetPort: number;
  const connections: Socket[] = [];

  beforeAll(async () => {
    // Stands in for Postgres: counts TCP connections and echoes bytes.
    target = createServer((socket) => {
      connections.push(socket);
      socket.on('data', (chunk) => socket.write(chunk));
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as { port: number }).port;
    pipe = await startWsPipe();
  });

  afterAll(async () => {
    await pipe?.close();
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => target?.close(resolve));
  });

  const url = (address: string) => `ws://127.0.0.1:${pipe.port}/v1?address=${address}`;

  it('refuses an upgrade from a web page (Origin header) with 403, without connecting to the database', async () => {
    const outcome = await open(url(`127.0.0.1:${targetPort}`), { Origin: 'https://evil.example' });
    expect(outcome).toMatchObject({ opened: false, status: 403 });
    expect((outcome as { body: string }).body).toMatch(/Origin/);
    // Give a wrongly opened connection time to show up.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(connections).toHaveLength(0);
  });

  it('pipes an upgrade without Origin (as Neon driver sends it) to the local server', async () => {
    const before = connections.length;
    expect(await open(url(`127.0.0.1:${targetPort}`))).toEqual({ opened: true, echo: 'ping' });
    expect(connections).toHaveLength(before + 1);
  });

  it('refuses a target that is not a loopback address', async () => {
    // .invalid never resolves: even a broken check could not send traffic anywhere.
    const before = connections.length;
    const outcome = await open(url('db.invalid:5432'));
    expect(outcome).toMatchObject({ opened: false, status: 403 });
    expect(localTarget('/v1?address=10.0.0.5:5432')).toBeNull();
    expect(localTarget('/v1?address=example.com:5432')).toBeNull();
    expect(localTarget('/v1?address=127.0.0.1:5432')).toEqual({ host: '127.0.0.1', port: 5432 });
    expect(localTarget('/v1?address=[::1]:5432')).toEqual({ host: '::1', port: 5432 });
    expect(connections).toHaveLength(before);
  });
});
