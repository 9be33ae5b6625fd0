// Access token verification (SECURITY C 12–20, D 23–24).
import { describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { base64url, bearer, craftToken, signUp } from '../support/auth.ts';

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
    const { userId } = await signUp();
    const now = Math.floor(Date.now() / 1000);
    const payload = { sub: userId, iss: 'task-api', aud: 'task-api', iat: now, exp: now + 600 };
    const unsigned = `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}.`;
    await expectInvalidToken(await me(bearer(unsigned)));
  });

  it.each(['HS384', 'HS512'] as const)('%s signed with the same secret → 401', async (alg) => {
    const { userId } = await signUp();
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, alg }))));
  });

  it('a control: the same crafting with HS256 is accepted (so the cases above fail for their reason)', async () => {
    const { userId } = await signUp();
    expect((await me(bearer(await craftToken({ sub: userId })))).status).toBe(200);
  });

  it('sub edited under the old signature → 401; signed with another secret → 401', async () => {
    const victim = await signUp();
    const attacker = await signUp();
    const [header, , signature] = attacker.token.split('.');
    const payload = JSON.parse(atob(attacker.token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/')));
    payload.sub = victim.userId;
    await expectInvalidToken(await me(bearer(`${header}.${base64url(JSON.stringify(payload))}.${signature}`)));
    const otherKey = new TextEncoder().encode('another-secret-that-is-long-enough-0123456789');
    await expectInvalidToken(await me(bearer(await craftToken({ sub: victim.userId, key: otherKey }))));
  });

  it('exp: missing → 401; 61 s ago → 401; 20 s ago → accepted (≤ 30 s skew); nbf 2 min ahead → 401', async () => {
    const { userId } = await signUp();
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, exp: null }))));
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, iat: now - 120, exp: now - 61 }))));
    expect((await me(bearer(await craftToken({ sub: userId, iat: now - 120, exp: now - 20 })))).status).toBe(200);
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, nbf: now + 120 }))));
    await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, iat: null }))));
  });

  it('wrong or missing iss or aud → 401', async () => {
    const { userId } = await signUp();
    for (const claims of [{ iss: 'someone-else' }, { iss: null }, { aud: 'another-api' }, { aud: null }]) {
      await expectInvalidToken(await me(bearer(await craftToken({ sub: userId, ...claims }))));
    }
  });

  it('sub missing or not a UUID → 401', async () => {
    await expectInvalidToken(await me(bearer(await craftToken({}))));
    for (const sub of ['not-a-uuid', '', "' or 1=1 --", '00000000-0000-0000-0000-00000000000g']) {
      await expectInvalidToken(await me(bearer(await craftToken({ sub }))));
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
