// Access token verification (SECURITY C 12–20, D 23–24).
import { env } from 'cloudflare:test';
import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tokenKeyImports, verifyAccessToken } from '../../../src/auth/access-tokens.ts';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { api, apiWith } from '../support/api.ts';
import { authPostWith, base64url, bearer, craftToken, secretKey, signUp, uniqueEmail } from '../support/auth.ts';

async function me(headers: Record<string, string>, query = '') {
  return api(`/api/auth/me${query}`, { headers });
}

async function expectInvalidToken(response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
  expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
}

describe('access tokens', () => {
  it('a valid token works, with the scheme in any case', async () => {
    const { token, userId } = await signUp();
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await me({ Authorization: `${scheme} ${token}` });
      expect(response.status).toBe(200);
      expect(response.headers.get('Cache-Control')).toBe('no-store');
      expect(((await response.json()) as { user: { id: string } }).user.id).toBe(userId);
    }
  });

  it('no Authorization header → 401 without error="invalid_token"', async () => {
    const response = await me({});
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(response.headers.get('WWW-Authenticate')).not.toContain('invalid_token');
  });

  it('alg: none → 401', async () => {
    const { userId, sessionId } = await signUp();
    const now = Math.floor(Date.now() / 1000);
    const payload = { sub: userId, sid: sessionId, iss: 'task-api', aud: 'task-api', iat: now, exp: now + 600 };
    const unsigned = `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}.`;
    await expectInvalidToken(await me(bearer(unsigned)));
  });

  it.each(['HS384', 'HS512'] as const)('%s signed with the same secret → 401', async (alg) => {
    const { userId, sessionId } = await signUp();
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, sid: sessionId, alg }))));
  });

  it('a control: the same crafting with HS256 is accepted (so the cases above fail for their reason)', async () => {
    const { userId, sessionId } = await signUp();
    expect((await me(bearer(await craftToken({ sub: userId, sid: sessionId })))).status).toBe(200);
  });

  it('sub edited under the old signature → 401; signed with another secret → 401', async () => {
    const victim = await signUp();
    const attacker = await signUp();
    const [header, , signature] = attacker.token.split('.');
    const payload = JSON.parse(atob(attacker.token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/')));
    payload.sub = victim.userId;
    await expectInvalidToken(await me(bearer(`${header}.${base64url(JSON.stringify(payload))}.${signature}`)));
    const otherKey = new TextEncoder().encode('another-secret-that-is-long-enough-0123456789');
    await expectInvalidToken(
      await me(bearer(await craftToken({ sub: victim.userId, sid: victim.sessionId, key: otherKey }))),
    );
  });

  it('exp: missing → 401; 61 s ago → 401 TOKEN_EXPIRED; 20 s ago → accepted (≤ 30 s skew); nbf 2 min ahead → 401', async () => {
    const { userId, sessionId } = await signUp();
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, sid: sessionId, exp: null }))));
    const expired = await me(bearer(await craftToken({ sub: userId, sid: sessionId, iat: now - 120, exp: now - 61 })));
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { code: string }).code).toBe('TOKEN_EXPIRED');
    expect(
      (await me(bearer(await craftToken({ sub: userId, sid: sessionId, iat: now - 120, exp: now - 20 })))).status,
    ).toBe(200);
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, sid: sessionId, nbf: now + 120 }))));
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, sid: sessionId, iat: null }))));
  });

  it('wrong or missing iss or aud → 401', async () => {
    const { userId, sessionId } = await signUp();
    for (const claims of [{ iss: 'someone-else' }, { iss: null }, { aud: 'another-api' }, { aud: null }]) {
      await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, sid: sessionId, ...claims }))));
    }
  });

  it('sub or sid missing or not a UUID → 401', async () => {
    const { userId, sessionId } = await signUp();
    await expectInvalidToken(await me(bearer(await craftToken({}))));
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId }))));
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, sid: 'not-a-uuid' }))));
    // A well-formed session id that is not this user's session: 401 from the statement, not 500.
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, sid: crypto.randomUUID() }))));
    const other = await signUp();
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, sid: other.sessionId }))));
    expect((await me(bearer(await craftToken({ sub: userId, sid: sessionId })))).status).toBe(200);
    for (const sub of ['not-a-uuid', '', "' or 1=1 --", '00000000-0000-0000-0000-00000000000g']) {
      await expectInvalidToken(await me(bearer(await craftToken({ sub, sid: sessionId }))));
    }
  });

  it('garbage: two segments, bad base64, 10 KB of junk, Basic scheme → 401 invalid_token, never 500', async () => {
    const { token } = await signUp();
    const [h, p] = token.split('.');
    for (const authorization of [
      `Bearer ${h}.${p}`,
      `Bearer ${h}.%%%notbase64%%%.${token.split('.')[2]}`,
      `Bearer ${'A'.repeat(10_240)}`,
      `Bearer ${'a.b.c'.repeat(2048)}`,
      `Basic ${btoa('user:pass')}`,
      'Bearer',
      `Bearer  ${token} extra`,
    ]) {
      await expectInvalidToken(await me({ Authorization: authorization }));
    }
  });

  it('a token in the query string is ignored → 401', async () => {
    const { token } = await signUp();
    const response = await me({}, `?access_token=${encodeURIComponent(token)}`);
    expect(response.status).toBe(401);
  });
});

describe('signing-key rotation (BETTER_AUTH_SECRET_PREVIOUS)', () => {
  const PREVIOUS = 'the-secret-before-rotation-0123456789-abcdefghij';
  const NEITHER = 'a-secret-this-deployment-never-had-0123456789-xyz';
  const encode = (text: string) => new TextEncoder().encode(text);
  const rotating = { BETTER_AUTH_SECRET_PREVIOUS: PREVIOUS };
  const meWith = (overrides: Record<string, unknown>, token: string) =>
    apiWith(overrides, '/api/auth/me', { headers: bearer(token) });

  it('current key → 200; previous key → 200; neither → 401', async () => {
    const { userId, sessionId } = await signUp();
    const current = await craftToken({ sub: userId, sid: sessionId });
    const previous = await craftToken({ sub: userId, sid: sessionId, key: encode(PREVIOUS) });
    const neither = await craftToken({ sub: userId, sid: sessionId, key: encode(NEITHER) });
    expect((await meWith(rotating, current)).status).toBe(200);
    expect((await meWith(rotating, previous)).status).toBe(200);
    await expectInvalidToken(await meWith(rotating, neither));
    // Without a previous secret configured, the old key's tokens are refused.
    await expectInvalidToken(await meWith({}, previous));
  });

  it.each(['HS384', 'HS512'] as const)('%s with the current or the previous key → 401', async (alg) => {
    const { userId, sessionId } = await signUp();
    for (const key of [secretKey, encode(PREVIOUS)]) {
      await expectInvalidToken(await meWith(rotating, await craftToken({ sub: userId, sid: sessionId, alg, key })));
    }
  });

  it('new tokens are signed with the current key only', async () => {
    const email = uniqueEmail('rotation');
    const response = await authPostWith(rotating, '/api/auth/signup', { email, password: 'rotation password' });
    expect(response.status).toBe(201);
    const { accessToken } = (await response.json()) as { accessToken: string };
    await expect(jwtVerify(accessToken, secretKey, { algorithms: ['HS256'] })).resolves.toBeTruthy();
    await expect(jwtVerify(accessToken, encode(PREVIOUS), { algorithms: ['HS256'] })).rejects.toThrow();
  });

  it('a previous secret under 32 bytes → 500 CONFIG_INVALID (never used); empty means unset', async () => {
    const short = await apiWith({ BETTER_AUTH_SECRET_PREVIOUS: 'x'.repeat(31) }, '/api/health/live');
    expect(short.status).toBe(500);
    expect(await short.json()).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((await apiWith({ BETTER_AUTH_SECRET_PREVIOUS: '' }, '/api/health/live')).status).toBe(200);
  });

  it('the HMAC keys are imported once per configuration (isolate), not per request', async () => {
    const config = loadConfig({ ...(env as Bindings), ...rotating });
    const { userId, sessionId } = await signUp();
    const token = await craftToken({ sub: userId, sid: sessionId, key: encode(PREVIOUS) });
    const before = tokenKeyImports();
    for (let i = 0; i < 5; i++) expect(await verifyAccessToken(token, config)).toEqual({ userId, sessionId });
    expect(tokenKeyImports() - before).toBe(1);
  });
});

describe('tokens verified once per isolate', () => {
  const configWith = (overrides: Record<string, string> = {}) => loadConfig({ ...(env as Bindings), ...overrides });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('a token that verified is not verified again: its next use computes no HMAC', async () => {
    const config = configWith({ BETTER_AUTH_SECRET: 'a-secret-for-the-remembered-token-test-0123456789' });
    const { userId, sessionId } = await signUp();
    const token = await craftToken({ sub: userId, sid: sessionId, key: config.secretKey });
    const hmac = vi.spyOn(crypto.subtle, 'verify');
    for (let i = 0; i < 3; i++) expect(await verifyAccessToken(token, config)).toEqual({ userId, sessionId });
    expect(hmac).toHaveBeenCalledTimes(1);
  });

  it('a remembered token still expires: TOKEN_EXPIRED once exp + 30 s has passed', async () => {
    const config = configWith();
    const { userId, sessionId } = await signUp();
    const now = Math.floor(Date.now() / 1000);
    const token = await craftToken({ sub: userId, sid: sessionId, exp: now + 5 });
    expect(await verifyAccessToken(token, config)).toEqual({ userId, sessionId });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((now + 5 + 29) * 1000);
    expect(await verifyAccessToken(token, config)).toEqual({ userId, sessionId });
    vi.setSystemTime((now + 5 + 31) * 1000);
    expect(await verifyAccessToken(token, config)).toBe('expired');
  });

  it('a token remembered under one secret is not accepted under another (a rotated secret is a new configuration)', async () => {
    const before = configWith({ BETTER_AUTH_SECRET: 'the-secret-before-the-change-0123456789-abcdefgh' });
    const after = configWith({ BETTER_AUTH_SECRET: 'the-secret-after-the-change-0123456789-abcdefghij' });
    const { userId, sessionId } = await signUp();
    const token = await craftToken({ sub: userId, sid: sessionId, key: before.secretKey });
    expect(await verifyAccessToken(token, before)).toEqual({ userId, sessionId });
    expect(await verifyAccessToken(token, after)).toBeNull();
  });

  it('failures are never remembered: an edited copy of a remembered token is checked, and refused, every time', async () => {
    const config = configWith({ BETTER_AUTH_SECRET: 'a-secret-for-the-edited-token-test-0123456789-ab' });
    const { userId, sessionId } = await signUp();
    const token = await craftToken({ sub: userId, sid: sessionId, key: config.secretKey });
    expect(await verifyAccessToken(token, config)).toEqual({ userId, sessionId });
    const [header, , signature] = token.split('.');
    const edited = `${header}.${base64url(JSON.stringify({ sub: userId, sid: sessionId, iss: 'task-api', aud: 'task-api', iat: 1, exp: 4102444800 }))}.${signature}`;
    const hmac = vi.spyOn(crypto.subtle, 'verify');
    expect(await verifyAccessToken(edited, config)).toBeNull();
    expect(await verifyAccessToken(edited, config)).toBeNull();
    expect(hmac).toHaveBeenCalledTimes(2);
  });

  it('at most 1,000 tokens are remembered: the oldest is verified again once 1,000 newer ones came', async () => {
    const config = configWith({ BETTER_AUTH_SECRET: 'a-secret-for-the-bounded-memory-test-0123456789' });
    const { userId, sessionId } = await signUp();
    const tokenAt = (iat: number) => craftToken({ sub: userId, sid: sessionId, iat, key: config.secretKey });
    const first = await tokenAt(1_000_000);
    await verifyAccessToken(first, config);
    const hmac = vi.spyOn(crypto.subtle, 'verify');
    for (let i = 1; i <= 999; i++) await verifyAccessToken(await tokenAt(1_000_000 + i), config);
    await verifyAccessToken(first, config);
    expect(hmac).toHaveBeenCalledTimes(999); // the first is still remembered: 1,000 in all
    await verifyAccessToken(await tokenAt(2_000_000), config);
    await verifyAccessToken(first, config);
    expect(hmac).toHaveBeenCalledTimes(1001); // the 1,001st pushed it out: verified again
  });
});
