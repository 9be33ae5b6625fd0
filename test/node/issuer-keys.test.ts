// The JWKS cache of an external issuer (src/auth/external/issuer-keys.ts), against a real HTTP server and real
// keys: kept for the issuer's Cache-Control max-age (clamped to 1–10 minutes), an unknown kid refetches
// at most once a minute, and every way the set can be missing is KeySetUnavailable (503 upstream), never
// a verdict on the token. The clock is the only thing faked.
import { createServer, type Server } from 'node:http';
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
  let signingKey: CryptoKey;
  let publicJwk: JWK;

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    signingKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' };
    server = createServer((_request, response) => {
      fetches += 1;
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (reply.cacheControl) headers['Cache-Control'] = reply.cacheControl;
      response.writeHead(reply.status, headers).end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => vi.restoreAllMocks());

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
});
