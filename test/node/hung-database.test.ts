// A database that hangs (SECURITY G38): the connection is accepted and the request read, but nothing is
// ever answered. The Worker's own query timeout (8 s, src/db/client.ts) must still end the request with
// a clean 503 DATABASE_UNAVAILABLE and Retry-After, well before a client or Cloudflare gives up.
// A file of its own (not with outage.test.ts) so that its seconds of waiting overlap other test files.
import { createServer, type Server, type Socket } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/access-tokens.ts';

const REQUEST_TIMEOUT_MS = 15_000;

describe('a database that accepts connections and never answers', () => {
  const SECRET = 'hang-test-secret-0123456789-abcdefghijklmnopqrst';
  let listener: Server;
  const sockets = new Set<Socket>();
  let received = '';
  let worker: WranglerDev;

  beforeAll(async () => {
    // Reads everything, writes nothing, closes nothing: a proxy or server that is stuck.
    listener = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const hung = `127.0.0.1:${(listener.address() as { port: number }).port}`;
    // The way the Worker reaches a local database, SQL over HTTP (all routes' queries), leads to the listener.
    worker = await startWranglerDev({
      APP_ENV: 'test',
      BETTER_AUTH_SECRET: SECRET,
      DATABASE_URL: `postgresql://hang:hang@${hung}/hang`,
      LOCAL_DB_HTTP: hung,
      BCRYPT_COST: '4',
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => listener?.close(resolve));
  });

  /** An access token of this API, signed with the Worker's secret: no database is needed to get one. */
  function accessToken(): Promise<string> {
    return new SignJWT({ sid: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('10m')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .sign(new TextEncoder().encode(SECRET));
  }

  it('answers an authenticated task route and GET /api/health with 503 DATABASE_UNAVAILABLE + Retry-After in under 10 s', async () => {
    const token = await accessToken();
    const timed = async (path: string, headers: Record<string, string> = {}) => {
      const started = performance.now();
      try {
        const response = await fetch(`${worker.url}${path}`, {
          headers: { 'CF-Connecting-IP': '10.8.0.1', ...headers },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = (await response.json().catch(() => ({}))) as { code?: string };
        const retryAfter = response.headers.get('Retry-After');
        return { path, status: response.status, code: body.code, retryAfter, ms: performance.now() - started };
      } catch (error) {
        // Still unanswered after REQUEST_TIMEOUT_MS: the hang reached the client.
        const status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
        return { path, status, code: undefined, retryAfter: null, ms: performance.now() - started };
      }
    };
    const outcomes = await Promise.all([
      timed('/api/tasks', { Authorization: `Bearer ${token}` }),
      timed('/api/health'),
    ]);
    process.stdout.write(
      `hung database: ${outcomes.map((outcome) => `${outcome.path} ${outcome.status} in ${outcome.ms.toFixed(0)} ms`).join(', ')}\n`,
    );
    for (const outcome of outcomes) {
      expect(outcome.status, outcome.path).toBe(503);
      expect(outcome.code, outcome.path).toBe('DATABASE_UNAVAILABLE');
      expect(Number(outcome.retryAfter), outcome.path).toBeGreaterThanOrEqual(1);
      expect(Number(outcome.retryAfter), outcome.path).toBeLessThanOrEqual(10);
      expect(outcome.ms, outcome.path).toBeLessThan(10_000);
    }
    // The queries did reach the hanging listener (this is a timeout, not a refused connection).
    expect(received).toMatch(/^POST \/sql /m);
  }, 60_000);
});
