// Signup: password rules (SECURITY A), email rules and races (B 8–10), sessions.
import { describe, expect, it } from 'vitest';
import type { SessionDto } from '../../../src/auth/schemas.ts';
import { api, apiWith, jsonRequest, queryDatabase } from '../support/api.ts';
import { authPost, PRODUCTION_DEFAULTS, signUp, uniqueEmail } from '../support/auth.ts';

const emoji19 = '😀'.repeat(19); // 76 UTF-8 bytes, .length 38

async function storedHash(email: string): Promise<string> {
  const rows = await queryDatabase<{ password_hash: string }>('select password_hash from users where email = $1', [
    email,
  ]);
  expect(rows).toHaveLength(1);
  return rows[0].password_hash;
}

describe('POST /api/auth/signup', () => {
  it('201 with a Session: user (no hash), HS256 bearer token, expiresIn', async () => {
    const email = uniqueEmail('happy');
    const response = await authPost('/api/auth/signup', {
      email: `  ${email.toUpperCase()} `,
      password: 'Pass Word 1',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const session = (await response.json()) as SessionDto;
    expect(session).toEqual({
      user: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email,
        emailVerified: false,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      refreshExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const header = JSON.parse(atob(session.accessToken.split('.')[0].replaceAll('-', '+').replaceAll('_', '/')));
    expect(header.alg).toBe('HS256');
    const me = await api('/api/auth/me', { headers: { Authorization: `Bearer ${session.accessToken}` } });
    expect(((await me.json()) as { user: unknown }).user).toEqual(session.user);
  });

  it('stores a bcrypt $2b$ hash; the same password gives different hashes', async () => {
    const a = await signUp(uniqueEmail('salt'), 'same password');
    const b = await signUp(uniqueEmail('salt'), 'same password');
    const [hashA, hashB] = [await storedHash(a.email), await storedHash(b.email)];
    expect(hashA).toMatch(/^\$2b\$\d\d\$.{53}$/);
    expect(hashA).not.toBe(hashB);
  });

  it('the deployed default cost is 12 (no BCRYPT_COST configured, production env)', async () => {
    const email = uniqueEmail('cost12');
    const response = await apiWith(
      PRODUCTION_DEFAULTS,
      '/api/auth/signup',
      jsonRequest({ email, password: 'twelve rounds please' }, { headers: { 'CF-Connecting-IP': '10.250.0.12' } }),
    );
    expect(response.status).toBe(201);
    expect(await storedHash(email)).toMatch(/^\$2b\$12\$.{53}$/);
  });

  it.each([
    ['7 characters', 'abcdefg', 400],
    ['8 characters', 'abcdefgh', 201],
    ['64 ASCII characters', 'a'.repeat(64), 201],
    ['72 UTF-8 bytes', `${'é'.repeat(36)}`, 201],
    ['73 UTF-8 bytes', `${'é'.repeat(36)}x`, 400],
    ['19 emoji (76 bytes, length 38)', emoji19, 400],
    ['8 emoji (8 code points, 32 bytes)', '😀'.repeat(8), 201],
    ['only spaces', '        ', 201],
  ])('password of %s', async (_name, password, status) => {
    const response = await authPost('/api/auth/signup', { email: uniqueEmail('pw'), password });
    expect(response.status).toBe(status);
    if (status === 400) {
      expect(await response.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'password', message: expect.any(String) }],
      });
    }
  });

  it('keeps spaces and case: a password differing only in case or spacing does not sign in', async () => {
    const { email } = await signUp(uniqueEmail('case'), ' Mixed Case ');
    for (const wrong of ['mixed case', ' Mixed Case', 'Mixed Case ', ' MIXED CASE ']) {
      expect((await authPost('/api/auth/signin', { email, password: wrong })).status).toBe(401);
    }
    expect((await authPost('/api/auth/signin', { email, password: ' Mixed Case ' })).status).toBe(200);
  });

  it('A@x then a@x → 409 EMAIL_TAKEN; signin as " A@X.COM " works', async () => {
    const local = `dup-${crypto.randomUUID().slice(0, 8)}`;
    await signUp(`${local.toUpperCase()}@X.TEST`, 'password one');
    const second = await authPost('/api/auth/signup', { email: `${local}@x.test`, password: 'password two' });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({
      code: 'EMAIL_TAKEN',
      status: 409,
      errors: [{ path: 'email', message: 'is already registered' }],
    });
    const signin = await authPost('/api/auth/signin', {
      email: ` ${local.toUpperCase()}@X.TEST `,
      password: 'password one',
    });
    expect(signin.status).toBe(200);
    expect(((await signin.json()) as SessionDto).user.email).toBe(`${local}@x.test`);
  });

  it.each([
    ['not an address', 'not-an-email'],
    ['255 characters', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`],
    ['empty', ''],
  ])('email %s → 400', async (_name, email) => {
    const response = await authPost('/api/auth/signup', { email, password: 'long enough' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'email' }] });
  });

  it('an address of exactly 254 characters is accepted', async () => {
    const email = `${crypto.randomUUID().slice(0, 8)}${'a'.repeat(56)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(email.length).toBe(254);
    expect((await authPost('/api/auth/signup', { email, password: 'long enough' })).status).toBe(201);
  });

  it('unknown fields, wrong types and malformed JSON → 400; text/plain → 415', async () => {
    const extra = await authPost('/api/auth/signup', { email: uniqueEmail(), password: 'long enough', admin: true });
    expect(extra.status).toBe(400);
    const wrongType = await authPost('/api/auth/signup', { email: uniqueEmail(), password: 12345678 });
    expect(wrongType.status).toBe(400);
    const malformed = await api('/api/auth/signup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '10.251.0.1' },
      body: '{"email": ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const text = await api('/api/auth/signup', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'CF-Connecting-IP': '10.251.0.2' },
      body: JSON.stringify({ email: uniqueEmail(), password: 'long enough' }),
    });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('20 concurrent signups of one address in mixed case: one 201, nineteen 409, one row, no 5xx', async () => {
    const local = `race-${crypto.randomUUID().slice(0, 8)}`;
    const variants = Array.from({ length: 20 }, (_, i) =>
      [...`${local}@race.test`].map((ch, j) => ((i >> (j % 5)) & 1 ? ch.toUpperCase() : ch)).join(''),
    );
    const responses = await Promise.all(
      variants.map((email) => authPost('/api/auth/signup', { email, password: 'race password' })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const rows = await queryDatabase('select id from users where lower(email) = $1', [`${local}@race.test`]);
    expect(rows).toHaveLength(1);
  });

  it('a secret under 32 bytes refuses to serve and never signs: 500 CONFIG_INVALID, no token, no row', async () => {
    const email = uniqueEmail('weak');
    const response = await apiWith(
      { BETTER_AUTH_SECRET: 'short-secret-31-bytes-long-xxxxx'.slice(0, 31) },
      '/api/auth/signup',
      jsonRequest({ email, password: 'long enough' }, { headers: { 'CF-Connecting-IP': '10.252.0.1' } }),
    );
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(text).not.toMatch(/accessToken|eyJ/);
    expect(await queryDatabase('select 1 from users where email = $1', [email])).toHaveLength(0);
  });
});
