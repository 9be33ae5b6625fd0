// The JWKS cache of an external issuer (src/auth/external/issuer-keys.ts), against a real HTTP server and real
// keys: kept for the issuer's Cache-Control max-age (clamped to 1–10 minutes), an unknown kid refetches
// at most once a minute, and every way the set can be missing is KeySetUnavailable (503 upstream), never
// a verdict on the token. The clock is the only thing faked.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { issuerKeySet, KeySetUnavailable } from '../../src/auth/external/issuer-keys.ts';

interface Reply {
  status: number;
  body: string;
  cacheControl?: string;
}

describe('issuer key sets', () => {
  let server: Server;
  let url: string;
  let reply: Reply;
  let fetches = 0;
  // When set, answers instead of `reply` (slow, streamed or oversized answers).
  let custom: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  let signingKey: CryptoKey;
  let publicJwk: JWK;

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    signingKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' };
    server = createServer((request, response) => {
      fetches += 1;
      if (custom) {
        custom(request, response);
        return;
      }
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (reply.cacheControl) headers['Cache-Control'] = reply.cacheControl;
      response.writeHead(reply.status, headers).end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    vi.restoreAllMocks();
    custom = undefined;
  });

  const keySet = (cacheControl?: string) => {
    reply = { status: 200, body: JSON.stringify({ keys: [publicJwk] }), cacheControl };
    fetches = 0;
    return issuerKeySet(url);
  };
  const token = (kid = 'k1') =>
    new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'EdDSA', kid }).setExpirationTime('5m').sign(signingKey);
  let now = Date.now();
  const at = (ms: number) => vi.spyOn(Date, 'now').mockReturnValue(now + ms);

  it('keeps the set for the max-age the issuer sends, clamped to 1–10 minutes', async () => {
    for (const [cacheControl, keptMs] of [
      ['public, max-age=120', 120_000],
      ['max-age=5', 60_000], // too short: at least a minute
      ['max-age=86400', 600_000], // too long: at most ten minutes
      [undefined, 600_000],
    ] as const) {
      now = Date.now();
      const keys = keySet(cacheControl);
      at(0);
      await jwtVerify(await token(), keys);
      at(keptMs - 1000);
      await jwtVerify(await token(), keys);
      expect(fetches).toBe(1);
      at(keptMs + 1000);
      await jwtVerify(await token(), keys);
      expect(fetches).toBe(2);
    }
  });

  it('an unknown kid refetches the set at most once a minute', async () => {
    now = Date.now();
    const keys = keySet();
    at(0);
    await jwtVerify(await token(), keys);
    at(10_000);
    await expect(jwtVerify(await token('rotated'), keys)).rejects.toThrow(/no applicable key/i);
    expect(fetches).toBe(1);
    at(61_000);
    await expect(jwtVerify(await token('rotated'), keys)).rejects.toThrow(/no applicable key/i);
    expect(fetches).toBe(2);
  });

  it.each([
    ['a 503 from the issuer', { status: 503, body: 'down' }],
    ['a 404 (wrong URL)', { status: 404, body: 'not found' }],
    ['a body that is not JSON', { status: 200, body: '<html>' }],
    ['JSON that is not a key set', { status: 200, body: '{"keys": "nope"}' }],
  ])('%s → KeySetUnavailable', async (_name, failure) => {
    const keys = keySet();
    reply = failure;
    await expect(jwtVerify(await token(), keys)).rejects.toBeInstanceOf(KeySetUnavailable);
  });

  it('nothing listening → KeySetUnavailable', async () => {
    const keys = issuerKeySet(`http://127.0.0.1:${await freePort()}/jwks`);
    await expect(jwtVerify(await token(), keys)).rejects.toBeInstanceOf(KeySetUnavailable);
  });

  it('20 tokens at once while the set is being fetched: 1 fetch, all 20 verified', async () => {
    const keys = keySet();
    custom = (_request, response) => {
      setTimeout(() => response.writeHead(200, { 'Content-Type': 'application/json' }).end(reply.body), 200);
    };
    const tokens = await Promise.all(Array.from({ length: 20 }, () => token()));
    const results = await Promise.all(tokens.map((jwt) => jwtVerify(jwt, keys)));
    expect(results).toHaveLength(20);
    expect(fetches).toBe(1);
  });

  it('a failed fetch is remembered for 30 s: no refetch meanwhile, one after', async () => {
    now = Date.now();
    const keys = keySet();
    reply = { status: 503, body: 'down' };
    at(0);
    await expect(jwtVerify(await token(), keys)).rejects.toBeInstanceOf(KeySetUnavailable);
    // Concurrent and later tokens within the 30 s: the remembered failure, not a new request each.
    await Promise.all(
      Array.from({ length: 10 }, async () =>
        expect(jwtVerify(await token(), keys)).rejects.toBeInstanceOf(KeySetUnavailable),
      ),
    );
    at(29_000);
    await expect(jwtVerify(await token(), keys)).rejects.toBeInstanceOf(KeySetUnavailable);
    expect(fetches).toBe(1);
    reply = { status: 200, body: JSON.stringify({ keys: [publicJwk] }) };
    at(31_000);
    await jwtVerify(await token(), keys);
    expect(fetches).toBe(2);
  });

  it('concurrent tokens while the issuer is down: one fetch between them', async () => {
    const keys = keySet();
    custom = (_request, response) => {
      setTimeout(() => response.writeHead(503).end('down'), 200);
    };
    const tokens = await Promise.all(Array.from({ length: 20 }, () => token()));
    const outcomes = await Promise.allSettled(tokens.map((jwt) => jwtVerify(jwt, keys)));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(KeySetUnavailable);
    }
    expect(fetches).toBe(1);
  });

  it('a key set over 64 KiB is refused without being read whole: 20 MB streamed, or announced by Content-Length', async () => {
    const MB = 1024 * 1024;
    let written = 0;
    let closed: Promise<void> = Promise.resolve();
    custom = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, ' ');
      closed = new Promise((resolve) => {
        let open = true;
        response.on('close', () => {
          open = false;
          resolve();
        });
        const pump = () => {
          while (open && written < 20 * MB) {
            written += chunk.length;
            if (!response.write(chunk)) {
              response.once('drain', pump);
              return;
            }
          }
          if (open) response.end();
        };
        response.write('{"keys": [');
        pump();
      });
    };
    const streamed = keySet();
    await expect(jwtVerify(await token(), streamed)).rejects.toBeInstanceOf(KeySetUnavailable);
    await closed;
    // The server got to write only what fits in the sockets' buffers before the reader hung up.
    expect(written).toBeLessThan(8 * MB);

    custom = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(20 * MB) });
      response.write('{"keys": [');
      setTimeout(() => response.destroy(), 5000);
    };
    const announced = keySet();
    const started = performance.now();
    await expect(jwtVerify(await token(), announced)).rejects.toBeInstanceOf(KeySetUnavailable);
    // Refused on the header, not after waiting for a body that never comes (the server gives up at 5 s;
    // the margin is for a loaded machine).
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('a key set just under 64 KiB is read and used', async () => {
    const body = JSON.stringify({ keys: [publicJwk] });
    const padded = body.replace('{', `{${' '.repeat(63 * 1024 - body.length)}`);
    expect(padded.length).toBeGreaterThan(60 * 1024);
    const keys = keySet();
    reply = { status: 200, body: padded };
    await jwtVerify(await token(), keys);
    expect(fetches).toBe(1);
  });
});
