// Bring your own sign-in (SECURITY 47): access tokens issued by a real Better Auth server (its JWT
// plugin, EdDSA keys published at /api/auth/jwks) are accepted by the real Worker under wrangler dev,
// through TRUSTED_ISSUERS, and nothing else that merely looks like them is.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { symmetricDecrypt } from 'better-auth/crypto';
import {
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';
import { type SqlOverHttp, startSqlOverHttp } from '../../tools/local-platform/sql-over-http.ts';
import { BETTER_AUTH_SERVER_SECRET, type BetterAuthServer, startBetterAuth } from '../support/better-auth-server.ts';
import { createScratchDatabase, type ScratchDatabase, withClient } from '../support/scratch-database.ts';

// A dedicated audience: Better Auth's default (its own base URL) would also be the audience of every
// other service that trusts the same Better Auth app.
const AUDIENCE = 'https://tasks.example.test';
const STATEMENTS_APP = `better_auth_${process.pid}`;
// A trusted issuer pinned to EdDSA whose JWKS (served here) also lists an ES256 key.
const PINNED_ISSUER = 'https://pinned-issuer.example.test';

describe('access tokens from a real Better Auth server', () => {
  let keysDb: ScratchDatabase;
  let otherKeysDb: ScratchDatabase;
  let trusted: BetterAuthServer; // the issuer this API trusts
  let impostor: BetterAuthServer; // claims the same `iss`, signs with another key pair
  let outage: BetterAuthServer; // a second trusted issuer, stopped before its keys were ever fetched
  let endpoint: SqlOverHttp;
  let worker: WranglerDev;
  let databaseUrl: string;
  let pinnedKeys: Server; // PINNED_ISSUER's JWKS
  let pinnedSigningKeys: { EdDSA: CryptoKey; ES256: CryptoKey };

  beforeAll(async () => {
    const [ed, es] = await Promise.all([
      generateKeyPair('EdDSA', { extractable: true }),
      generateKeyPair('ES256', { extractable: true }),
    ]);
    pinnedSigningKeys = { EdDSA: ed.privateKey, ES256: es.privateKey };
    const pinnedJwks = JSON.stringify({
      keys: [
        { ...(await exportJWK(ed.publicKey)), kid: 'EdDSA', alg: 'EdDSA', use: 'sig' },
        { ...(await exportJWK(es.publicKey)), kid: 'ES256', alg: 'ES256', use: 'sig' },
      ],
    });
    pinnedKeys = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(pinnedJwks);
    });
    await new Promise<void>((resolve) => pinnedKeys.listen(0, '127.0.0.1', resolve));
    keysDb = await createScratchDatabase(inject('serverUrl'), 'better_auth');
    otherKeysDb = await createScratchDatabase(inject('serverUrl'), 'better_auth_other');
    trusted = await startBetterAuth({ databaseUrl: keysDb.url, audience: AUDIENCE });
    impostor = await startBetterAuth({ databaseUrl: otherKeysDb.url, issuer: trusted.url, audience: AUDIENCE });
    outage = await startBetterAuth({ databaseUrl: keysDb.url, audience: AUDIENCE });
    endpoint = await startSqlOverHttp({ countStatements: true });
    const url = new URL(inject('databaseUrl'));
    url.searchParams.set('application_name', STATEMENTS_APP);
    databaseUrl = url.toString();
    worker = await startWranglerDev({
      APP_ENV: 'test',
      BETTER_AUTH_SECRET: 'better-auth-interop-secret-0123456789-abcdefgh',
      DATABASE_URL: databaseUrl,
      LOCAL_DB_HTTP: `127.0.0.1:${endpoint.port}`,
      BCRYPT_COST: '4',
      TRUSTED_ISSUERS: JSON.stringify([
        ...[trusted, outage].map((server) => ({
          issuer: server.url,
          jwksUrl: server.jwksUrl,
          audience: AUDIENCE,
          algorithms: ['EdDSA'],
        })),
        {
          issuer: PINNED_ISSUER,
          jwksUrl: `http://127.0.0.1:${(pinnedKeys.address() as AddressInfo).port}/jwks`,
          audience: AUDIENCE,
          algorithms: ['EdDSA'],
        },
      ]),
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await endpoint?.close();
    for (const server of [trusted, impostor, outage]) await server?.close();
    await new Promise((resolve) => pinnedKeys?.close(resolve));
    await keysDb?.drop();
    await otherKeysDb?.drop();
  });

  function call(path: string, token: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${worker.url}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        'CF-Connecting-IP': `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      },
    });
  }

  async function statementsRun(): Promise<number> {
    const response = await fetch(
      `${endpoint.endpoint.replace(/\/sql$/, '')}/statements?application_name=${STATEMENTS_APP}`,
    );
    return ((await response.json()) as { statements: number }).statements;
  }

  it('signs up at Better Auth, then creates, lists, reads and deletes tasks here with its token (1 statement each)', async () => {
    const token = await trusted.signUpAndGetToken('ada@better-auth.test');
    expect(decodeProtectedHeader(token).alg).toBe('EdDSA');
    const { sub } = decodeJwt(token);

    const counted = async (path: string, init?: RequestInit) => {
      const before = await statementsRun();
      const response = await call(path, token, init);
      return { response, statements: (await statementsRun()) - before };
    };
    // The first request creates this API's user for the identity, inside its one statement.
    const created = await counted('/api/tasks', {
      method: 'POST',
      body: JSON.stringify({ title: 'from Better Auth' }),
    });
    expect(created.response.status).toBe(201);
    expect(created.statements).toBe(1);
    const task = (await created.response.json()) as { id: number; title: string };

    const list = await counted('/api/tasks');
    expect(list.response.status).toBe(200);
    expect(list.statements).toBe(1);
    expect(((await list.response.json()) as { items: { id: number }[] }).items.map((item) => item.id)).toEqual([
      task.id,
    ]);
    const read = await counted(`/api/tasks/${task.id}`);
    expect(read.response.status).toBe(200);
    expect(((await read.response.json()) as { title: string }).title).toBe('from Better Auth');
    const removed = await counted(`/api/tasks/${task.id}`, { method: 'DELETE' });
    expect(removed.response.status).toBe(204);
    expect(removed.statements).toBe(1);
    expect((await call(`/api/tasks/${task.id}`, token)).status).toBe(404);

    const me = await call('/api/auth/me', token);
    expect(me.status).toBe(200);
    const { user } = (await me.json()) as { user: { id: string; email: string | null; emailVerified: boolean } };
    expect(user.email).toBeNull();
    expect(user.emailVerified).toBe(false);
    // One user row per (issuer, subject), no password hash; the identity row names both.
    await withClient(inject('databaseUrl'), async (client) => {
      const { rows } = await client.query(
        `select u.email, u.password_hash, i.issuer, i.subject
           from external_identities i join users u on u.id = i.user_id where i.user_id = $1`,
        [user.id],
      );
      expect(rows).toEqual([{ email: null, password_hash: null, issuer: trusted.url, subject: sub }]);
    });
  });

  it('a first request that is a retried create (Idempotency-Key) or a write to a missing task also creates the user', async () => {
    const first = await trusted.signUpAndGetToken('lovelace@better-auth.test');
    const create = () =>
      fetch(`${worker.url}/api/tasks`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${first}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1' },
        body: JSON.stringify({ title: 'once' }),
      });
    const [a, b] = [await create(), await create()];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(((await a.json()) as { id: number }).id).toBe(((await b.json()) as { id: number }).id);
    expect(b.headers.get('Idempotent-Replayed')).toBe('true');

    const second = await trusted.signUpAndGetToken('babbage@better-auth.test');
    const patch = await call('/api/tasks/1', second, { method: 'PATCH', body: JSON.stringify({ title: 'x' }) });
    expect(patch.status).toBe(404);
    await withClient(inject('databaseUrl'), async (client) => {
      const { rows } = await client.query(
        'select count(*)::int as n from external_identities i join users u on u.id = i.user_id where i.subject = $1',
        [decodeJwt(second).sub],
      );
      expect(rows[0].n).toBe(1);
    });
  });

  it('a first request that takes a live ticket also creates the user, until when its writes are told (token lifetime plus a minute); the socket gets them', async () => {
    const token = await trusted.signUpAndGetToken('noether@better-auth.test');
    const ticket = await call('/api/tasks/live/ticket', token, { method: 'POST' });
    expect(ticket.status).toBe(201);
    const { url } = (await ticket.json()) as { url: string };
    await withClient(inject('databaseUrl'), async (client) => {
      const { rows } = await client.query(
        `select extract(epoch from n.live_until - now())::int as seconds from user_change_counters n
           join external_identities i on i.user_id = n.user_id where i.subject = $1`,
        [decodeJwt(token).sub],
      );
      // ACCESS_TOKEN_TTL_SECONDS (15 min by default) + 60 s, less the seconds this test has taken.
      expect(rows[0].seconds).toBeGreaterThan(900 + 60 - 30);
      expect(rows[0].seconds).toBeLessThanOrEqual(900 + 60);
    });
    const socket = new WebSocket(`${worker.url.replace(/^http/, 'ws')}${url}`);
    // One listener records every message; `received(n)` waits until n have come (polling: it may be
    // called after they came, since an event can arrive before the write's response).
    const messages: { type: string; seq?: number }[] = [];
    socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))));
    const received = (count: number) =>
      expect.poll(() => messages.length, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(count);
    try {
      await received(1);
      const created = await call('/api/tasks', token, { method: 'POST', body: JSON.stringify({ title: 'live' }) });
      expect(created.status).toBe(201);
      await received(2);
      expect(messages.map(({ type, seq }) => ({ type, seq }))).toEqual([
        { type: 'ready', seq: undefined },
        { type: 'change', seq: 1 },
      ]);
    } finally {
      socket.close();
    }
  });

  it('refuses a token from another Better Auth instance that claims the same issuer with its own key: 401, refetching keys at most once a minute', async () => {
    const token = await impostor.signUpAndGetToken('mallory@better-auth.test');
    expect(decodeJwt(token).iss).toBe(trusted.url);
    const fetchesBefore = trusted.jwksFetches();
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await call('/api/tasks', token);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
    }
    // An unknown kid may mean the issuer rotated its keys: refetched, but at most once a minute, so a
    // stream of forged tokens cannot make this API hammer the issuer.
    expect(trusted.jwksFetches() - fetchesBefore).toBeLessThanOrEqual(1);
  });

  it("refuses a token whose aud is Better Auth's default (its base URL) where a dedicated audience is configured: 401", async () => {
    const sub = 'audience-check-user';
    const iat = Math.floor(Date.now() / 1000);
    // Same key, same issuer; only `aud` differs. The control with the dedicated audience passes.
    const dedicated = await trusted.signPayload({ sub, iat });
    expect(decodeJwt(dedicated).aud).toBe(AUDIENCE);
    expect((await call('/api/tasks', dedicated)).status).toBe(200);
    const defaultAudience = await trusted.signPayload({ sub, iat, aud: trusted.url });
    expect(decodeJwt(defaultAudience).aud).toBe(trusted.url);
    expect((await call('/api/tasks', defaultAudience)).status).toBe(401);
  });

  it("refuses the trusted issuer's own signature on a token whose iss is the issuer plus '/', or that has no iss or no aud: 401", async () => {
    // The key Better Auth signs with now, read from its database as its signJWT does (decrypted with the
    // server's secret): to sign, with the trusted issuer's own key, claims Better Auth never writes.
    const row = await withClient(keysDb.url, async (client) => {
      const { rows } = await client.query(
        `select id, "privateKey" as private_key from jwks
          where "expiresAt" is null or "expiresAt" > now() order by "createdAt" desc limit 1`,
      );
      return rows[0] as { id: string; private_key: string };
    });
    const privateJwk = await symmetricDecrypt({ key: BETTER_AUTH_SERVER_SECRET, data: JSON.parse(row.private_key) });
    const key = await importJWK(JSON.parse(privateJwk), 'EdDSA');
    const sub = 'claims-check-user';
    expect(decodeProtectedHeader(await trusted.signPayload({ sub })).kid).toBe(row.id);
    const signed = (claims: JWTPayload) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: row.id }).sign(key);
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub, iat, exp: iat + 600, iss: trusted.url, aud: AUDIENCE };
    // The control: the same key and claims, complete, are accepted.
    expect((await call('/api/tasks', await signed(claims))).status).toBe(200);

    const { iss: _iss, ...withoutIss } = claims;
    const { aud: _aud, ...withoutAud } = claims;
    const refused = {
      // Better Auth itself signs this one: only `iss` differs from its configured issuer.
      'iss with a trailing slash': await trusted.signPayload({ sub, iat, iss: `${trusted.url}/` }),
      // Better Auth always writes `iss` and `aud`: these two are signed here with its key.
      'no iss': await signed(withoutIss),
      'no aud': await signed(withoutAud),
    };
    expect(decodeJwt(refused['iss with a trailing slash']).iss).toBe(`${trusted.url}/`);
    for (const [name, token] of Object.entries(refused)) {
      const response = await call('/api/tasks', token);
      expect(response.status, name).toBe(401);
      expect(((await response.json()) as { code: string }).code, name).toBe('UNAUTHENTICATED');
    }
  });

  it("refuses a token signed with another asymmetric algorithm (ES256) than the issuer's pinned one (EdDSA), though its JWKS serves that key: 401", async () => {
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub: 'pinned-alg-user', iat, exp: iat + 600, iss: PINNED_ISSUER, aud: AUDIENCE };
    const signed = (alg: 'EdDSA' | 'ES256') =>
      new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT', kid: alg }).sign(pinnedSigningKeys[alg]);
    // The control: the pinned algorithm, from the same key set and issuer entry, is accepted.
    expect((await call('/api/tasks', await signed('EdDSA'))).status).toBe(200);
    const response = await call('/api/tasks', await signed('ES256'));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
  });

  it('a sub holding U+0000 or an unpaired surrogate: 401, never a 500 or another subject\u2019s user', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const signed = (sub: string) =>
      new SignJWT({ sub, iat, exp: iat + 600, iss: PINNED_ISSUER, aud: AUDIENCE })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: 'EdDSA' })
        .sign(pinnedSigningKeys.EdDSA);
    // The control: a subject with a surrogate pair (well-formed) is a user like any other.
    expect((await call('/api/tasks', await signed('subject-\u{1F600}'))).status).toBe(200);
    for (const sub of ['subject\u0000zero', 'subject-\uD800', 'subject-\uFFFD-\uDC00']) {
      const response = await call('/api/tasks', await signed(sub));
      expect(response.status, JSON.stringify(sub)).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses alg switched to HS256 and signed with the public key (algorithm confusion): 401', async () => {
    const genuine = await trusted.signUpAndGetToken('eve@better-auth.test');
    const { kid } = decodeProtectedHeader(genuine);
    const jwks = (await (await fetch(trusted.jwksUrl)).json()) as { keys: { kid: string; x: string }[] };
    const publicKey = jwks.keys.find((key) => key.kid === kid);
    expect(publicKey).toBeDefined();
    const forgeWith = (secret: Uint8Array) =>
      new SignJWT(decodeJwt(genuine)).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid }).sign(secret);
    for (const secret of [
      base64url.decode(publicKey?.x ?? ''), // the raw Ed25519 public key bytes
      new TextEncoder().encode(JSON.stringify(publicKey)), // the JWK as published
    ]) {
      const response = await call('/api/tasks', await forgeWith(secret));
      expect(response.status).toBe(401);
    }
    expect((await call('/api/tasks', genuine)).status).toBe(200);
  });

  it('answers 503 AUTH_PROVIDER_UNAVAILABLE with Retry-After while the JWKS cannot be fetched, without refetching meanwhile, and recovers after Retry-After', async () => {
    const token = await outage.signUpAndGetToken('grace@better-auth.test');
    await outage.stop();
    const down = await call('/api/tasks', token);
    expect(down.status).toBe(503);
    const retryAfter = Number(down.headers.get('Retry-After'));
    // The failed fetch is remembered for 30 s: that is when a retry can succeed.
    expect(retryAfter).toBeGreaterThanOrEqual(25);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(((await down.json()) as { code: string }).code).toBe('AUTH_PROVIDER_UNAVAILABLE');
    await outage.start();
    // Back up, but within the remembered failure: no request reaches the issuer, the answer stays 503.
    const fetchesBefore = outage.jwksFetches();
    for (let i = 0; i < 5; i++) expect((await call('/api/tasks', token)).status).toBe(503);
    expect(outage.jwksFetches()).toBe(fetchesBefore);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 500));
    expect((await call('/api/tasks', token)).status).toBe(200);
    expect(outage.jwksFetches()).toBe(fetchesBefore + 1);
  }, 60_000);

  it('password and session routes tell an external account apart: no password here, sign out at the issuer (403 EXTERNAL_ACCOUNT)', async () => {
    const token = await trusted.signUpAndGetToken('hopper@better-auth.test');
    const password = await call('/api/auth/password', token, {
      method: 'POST',
      body: JSON.stringify({ currentPassword: 'better auth password', newPassword: 'a new password' }),
    });
    // Not 401: the token is good (an app that signs out on 401 would sign this user out for nothing).
    expect(password.status).toBe(403);
    expect(((await password.json()) as { code: string }).code).toBe('EXTERNAL_ACCOUNT');
    const deletion = await call('/api/auth/me', token, {
      method: 'DELETE',
      body: JSON.stringify({ password: 'better auth password' }),
    });
    expect(deletion.status).toBe(403);
    expect(((await deletion.json()) as { code: string }).code).toBe('EXTERNAL_ACCOUNT');
    const signout = await call('/api/auth/signout', token, { method: 'POST' });
    expect(signout.status).toBe(403);
    expect(((await signout.json()) as { code: string }).code).toBe('EXTERNAL_ACCOUNT');
    expect((await call('/api/auth/signout-all', token, { method: 'POST' })).status).toBe(403);
    const sessions = await call('/api/auth/sessions', token);
    expect(sessions.status).toBe(200);
    expect(await sessions.json()).toEqual({ items: [] });
    // None of that ended anything: the token still works.
    expect((await call('/api/tasks', token)).status).toBe(200);
  });
});
