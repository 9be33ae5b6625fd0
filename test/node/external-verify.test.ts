// verifyExternalToken (src/auth/external/verify.ts) against a real key set served over HTTP: a token
// must name its key (without a `kid`, jose would try every key of the issuer that fits the algorithm,
// which is not what "the key named in the issuer's JWKS" promises), and its lifetime, `iat`, `aud`,
// `typ` and `sub` must be what this API can stand behind. End to end against real Better Auth servers
// and through the Worker: better-auth.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TrustedIssuer, TrustedIssuers } from '../../src/auth/external/trusted-issuers.ts';
import { verifyExternalToken } from '../../src/auth/external/verify.ts';

/** An issuer with one EdDSA key (kid k1) whose JWKS a local server publishes; the entry as the configuration parses it. */
async function startIssuer(): Promise<{ server: Server; issuer: TrustedIssuer; signingKey: CryptoKey }> {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  const keys = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' }] });
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(keys);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Through the configuration's own schema, so its defaults apply (maxTokenLifetimeSeconds).
  const [issuer] = TrustedIssuers.parse(
    JSON.stringify([
      { issuer: origin, jwksUrl: `${origin}/jwks`, audience: 'https://tasks.example', algorithms: ['EdDSA'] },
    ]),
  );
  return { server, issuer, signingKey: pair.privateKey };
}

describe('external tokens name their key', () => {
  let server: Server;
  let issuer: TrustedIssuer;
  let signingKey: CryptoKey;

  beforeAll(async () => {
    ({ server, issuer, signingKey } = await startIssuer());
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

describe('external tokens: lifetime, iat, aud, typ and sub', () => {
  let server: Server;
  let issuer: TrustedIssuer;
  let signingKey: CryptoKey;

  beforeAll(async () => {
    ({ server, issuer, signingKey } = await startIssuer());
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const now = () => Math.floor(Date.now() / 1000);
  /** A token of the issuer with the given claims over sane defaults; `typ` omitted when undefined. */
  const token = (claims: Record<string, unknown> = {}, typ?: unknown) => {
    const iat = now();
    return new SignJWT({ sub: 'user-1', iss: issuer.issuer, aud: issuer.audience, iat, exp: iat + 300, ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', ...(typ === undefined ? {} : { typ: typ as string }) })
      .sign(signingKey);
  };
  const accepted = async (jwt: Promise<string>, entry = issuer) =>
    (await verifyExternalToken(await jwt, entry)) !== null;

  it('exp − iat at most maxTokenLifetimeSeconds: 86400 by default, or what the issuer entry says', async () => {
    const iat = now() - 10;
    expect(await accepted(token({ iat, exp: iat + 86_400 }))).toBe(true);
    expect(await accepted(token({ iat, exp: iat + 86_401 }))).toBe(false);
    const strict = { ...issuer, maxTokenLifetimeSeconds: 600 };
    expect(await accepted(token({ iat, exp: iat + 600 }), strict)).toBe(true);
    expect(await accepted(token({ iat, exp: iat + 601 }), strict)).toBe(false);
  });

  it('iat in the future: within the 30 s skew accepted, beyond it refused', async () => {
    expect(await accepted(token({ iat: now() + 20, exp: now() + 300 }))).toBe(true);
    expect(await accepted(token({ iat: now() + 60, exp: now() + 300 }))).toBe(false);
  });

  it('aud is exactly the audience: the string, or an array of that one string; never one among others', async () => {
    expect(await accepted(token({ aud: issuer.audience }))).toBe(true);
    expect(await accepted(token({ aud: [issuer.audience] }))).toBe(true);
    expect(await accepted(token({ aud: [issuer.audience, 'https://other.example'] }))).toBe(false);
    expect(await accepted(token({ aud: ['https://other.example', issuer.audience] }))).toBe(false);
    expect(await accepted(token({ aud: 'https://other.example' }))).toBe(false);
    expect(await accepted(token({ aud: [] }))).toBe(false);
  });

  it('typ absent, JWT or at+jwt (any case, application/ prefix allowed); any other typ refused', async () => {
    for (const typ of [undefined, 'JWT', 'jwt', 'at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/AT+JWT']) {
      expect(await accepted(token({}, typ)), String(typ)).toBe(true);
    }
    for (const typ of ['JOSE', 'dpop+jwt', 'logout+jwt', 'application/json', 'at+jwt ', '', 1]) {
      expect(await accepted(token({}, typ)), String(typ)).toBe(false);
    }
  });

  it('a sub holding U+0000 or an unpaired surrogate is refused; a surrogate pair is fine', async () => {
    for (const sub of ['user\u0000one', 'user\uD800', '\uDC00user', 'a\uDBFFb']) {
      expect(await verifyExternalToken(await token({ sub }), issuer), JSON.stringify(sub)).toBeNull();
    }
    expect(await accepted(token({ sub: 'user-\u{1F600}' }))).toBe(true);
  });
});
