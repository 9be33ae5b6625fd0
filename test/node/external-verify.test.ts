// verifyExternalToken (src/auth/external/verify.ts) against a real key set served over HTTP: a token
// must name its key. Without a `kid`, jose would try every key of the issuer that fits the algorithm,
// which is not what "the key named in the issuer's JWKS" promises. The rest of what an external token
// must satisfy runs end to end against real Better Auth servers in better-auth.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustedIssuer } from '../../src/auth/external/trusted-issuers.ts';
import { verifyExternalToken } from '../../src/auth/external/verify.ts';

describe('external tokens name their key', () => {
  let server: Server;
  let issuer: TrustedIssuer;
  let signingKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    signingKey = pair.privateKey;
    const keys = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' }] });
    server = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(keys);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer = { issuer: origin, jwksUrl: `${origin}/jwks`, audience: 'https://tasks.example', algorithms: ['EdDSA'] };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (header: { alg: string; kid?: string }) =>
    new SignJWT({ sub: 'user-1' })
      .setProtectedHeader(header)
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signingKey);

  it('the issuer\u2019s key named by kid: accepted', async () => {
    const caller = await verifyExternalToken(await token({ alg: 'EdDSA', kid: 'k1' }), issuer);
    expect(caller).toMatchObject({ external: { issuer: issuer.issuer, subject: 'user-1' } });
  });

  it('the same key and claims without a kid, or with a kid the set does not have: refused', async () => {
    expect(await verifyExternalToken(await token({ alg: 'EdDSA' }), issuer)).toBeNull();
    expect(await verifyExternalToken(await token({ alg: 'EdDSA', kid: 'k2' }), issuer)).toBeNull();
  });
});
