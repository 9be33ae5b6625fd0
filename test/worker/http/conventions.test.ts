// The contract's conventions: problem+json, request ids, hardening headers, 404/405, config failures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bcrypt } from '../../../src/auth/accounts/passwords.ts';
import { api, apiWith } from '../support/api.ts';
import { authPostWith, TEST_SECRET, uniqueEmail } from '../support/auth.ts';
import { newClient } from '../support/tasks.ts';

afterEach(() => vi.restoreAllMocks());

describe('problem responses', () => {
  it('404 for an unknown route is problem+json with every contract field', async () => {
    const response = await api('/api/nope', { headers: { 'X-Request-Id': 'client-id-1' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: expect.stringMatching(/^https:\/\//),
      title: expect.any(String),
      status: 404,
      detail: expect.any(String),
      code: 'NOT_FOUND',
      requestId: 'client-id-1',
    });
  });

  it('405 with Allow for a wrong method on a known path', async () => {
    const response = await api('/api/health', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toContain('GET');
    expect(await response.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });
});

describe('X-Request-Id', () => {
  it('echoes a sane incoming id', async () => {
    const id = 'aZ09._:-'.repeat(16); // 128 chars of the allowed alphabet
    const response = await api('/api/health', { headers: { 'X-Request-Id': id } });
    expect(response.headers.get('X-Request-Id')).toBe(id);
  });

  it.each([['x'.repeat(129)], ['has space'], ['semi;colon'], ['é']])('replaces %j with a fresh id', async (bad) => {
    const response = await api('/api/nope', {
      headers: { 'X-Request-Id': encodeURI(bad) === bad ? bad : 'has%20space' },
    });
    const id = response.headers.get('X-Request-Id');
    expect(id).not.toBe(bad);
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(((await response.json()) as { requestId: string }).requestId).toBe(id);
  });

  it('mints distinct ids when none is sent', async () => {
    const [a, b] = await Promise.all([api('/api/health'), api('/api/health')]);
    expect(a.headers.get('X-Request-Id')).toBeTruthy();
    expect(a.headers.get('X-Request-Id')).not.toBe(b.headers.get('X-Request-Id'));
  });
});

describe('content types', () => {
  it('JSON answers say application/json; charset=utf-8, problems application/problem+json', async () => {
    const client = await newClient();
    const task = await client.create();
    for (const response of [
      await api('/api/health'),
      await api('/api/health/live'),
      await client.request('GET', '/api/tasks'),
      await client.request('GET', `/api/tasks/${task.id}`),
      await client.request('PATCH', `/api/tasks/${task.id}`, { completed: true }),
    ]) {
      expect(response.status, response.url).toBe(200);
      expect(response.headers.get('Content-Type'), response.url).toBe('application/json; charset=utf-8');
    }
    const created = await client.request('POST', '/api/tasks', { title: 'typed' });
    expect(created.status).toBe(201);
    expect(created.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    const refused = await client.request('POST', '/api/tasks', { title: '' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('Content-Type')).toBe('application/problem+json');
  });
});

describe('hardening headers', () => {
  it('every response, errors included, carries nosniff, no-referrer and no-store', async () => {
    for (const response of [
      await api('/api/health'),
      await api('/api/nope'),
      await api('/api/health', { method: 'PUT' }),
    ]) {
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(response.headers.get('Cache-Control')).toBe('no-store');
    }
  });
});

// What a deployed environment sets for email (EMAIL_TRANSPORT unset: the binding is the default there).
const DEPLOYED_EMAIL = {
  APP_URL: 'https://app.example',
  EMAIL_FROM: 'no-reply@app.example',
  EMAIL_TRANSPORT: undefined,
};

describe('configuration fails closed', () => {
  it.each([
    ['missing secret', { BETTER_AUTH_SECRET: undefined }],
    ['31-byte secret', { BETTER_AUTH_SECRET: 'x'.repeat(31) }],
    ['missing DATABASE_URL', { DATABASE_URL: undefined }],
    ['low bcrypt cost outside tests', { APP_ENV: 'production', BCRYPT_COST: '10', ...DEPLOYED_EMAIL }],
    ['no APP_URL in production', { APP_ENV: 'production', BCRYPT_COST: '12', ...DEPLOYED_EMAIL, APP_URL: undefined }],
    [
      'http:// APP_URL in staging',
      { APP_ENV: 'staging', BCRYPT_COST: '12', ...DEPLOYED_EMAIL, APP_URL: 'http://app.example' },
    ],
    ['APP_URL with a path', { APP_URL: 'http://app.test/reset' }],
    [
      'no EMAIL_FROM in production',
      { APP_ENV: 'production', BCRYPT_COST: '12', ...DEPLOYED_EMAIL, EMAIL_FROM: undefined },
    ],
    [
      'the local outbox in production',
      { APP_ENV: 'production', BCRYPT_COST: '12', ...DEPLOYED_EMAIL, EMAIL_TRANSPORT: 'outbox' },
    ],
    ['unknown EMAIL_TRANSPORT', { EMAIL_TRANSPORT: 'smtp' }],
    ['LOCAL_OUTBOX not on loopback', { LOCAL_OUTBOX: '10.0.0.5:5490' }],
    ['malformed CORS origin', { CORS_ORIGINS: 'https://ok.example,not an origin' }],
    [
      'http:// CORS origin in production',
      {
        APP_ENV: 'production',
        BCRYPT_COST: '12',
        CORS_ORIGINS: 'https://ok.example,http://app.example',
        ...DEPLOYED_EMAIL,
      },
    ],
    [
      'http:// CORS origin in staging',
      { APP_ENV: 'staging', BCRYPT_COST: '12', CORS_ORIGINS: 'http://app.example', ...DEPLOYED_EMAIL },
    ],
  ])('%s → 500 CONFIG_INVALID on every route, naming no secret', async (_name, overrides) => {
    for (const path of ['/api/health', '/api/health/live', '/api/nope']) {
      const response = await apiWith(overrides, path);
      expect(response.status).toBe(500);
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'CONFIG_INVALID', status: 500 });
      expect(text).not.toContain('x'.repeat(31));
    }
  });

  it('https:// origins in production and staging, http:// ones in development and test are accepted', async () => {
    for (const overrides of [
      { APP_ENV: 'production', BCRYPT_COST: '12', CORS_ORIGINS: 'https://app.example', ...DEPLOYED_EMAIL },
      {
        APP_ENV: 'staging',
        BCRYPT_COST: '12',
        CORS_ORIGINS: 'https://app.example,https://staging.example:8443',
        ...DEPLOYED_EMAIL,
      },
      { APP_ENV: 'development', BCRYPT_COST: '12', CORS_ORIGINS: 'http://localhost:5173', APP_URL: undefined },
      { APP_ENV: 'test', CORS_ORIGINS: 'http://app.test' },
    ]) {
      expect((await apiWith(overrides, '/api/health/live')).status, JSON.stringify(overrides)).toBe(200);
    }
  });

  it('a 32-byte secret (multi-byte characters counted as bytes) is accepted', async () => {
    const response = await apiWith({ BETTER_AUTH_SECRET: 'é'.repeat(16) }, '/api/health');
    expect(response.status).toBe(200);
  });
});

describe('unexpected failures', () => {
  it('a forced internal error → clean problem+json 500 INTERNAL: no stack, SQL or secret', async () => {
    const failure = new Error(`select password_hash from users where email = 'x' -- ${TEST_SECRET}`);
    vi.spyOn(bcrypt, 'compare').mockRejectedValue(failure);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await authPostWith({}, '/api/auth/signin', {
      email: uniqueEmail('boom'),
      password: 'any password',
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'INTERNAL', requestId: expect.any(String) });
    expect(text).not.toContain(TEST_SECRET);
    expect(text).not.toMatch(/select|password_hash|\bat \w|\.ts:\d|stack/i);
  });
});
