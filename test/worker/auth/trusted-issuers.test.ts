// TRUSTED_ISSUERS is validated with the rest of the configuration (SECURITY 47): anything that could
// widen what is accepted (a symmetric algorithm, keys over plain http, an ambiguous list) stops the
// deployment with CONFIG_INVALID instead. The tokens themselves are tested against a real Better Auth
// server in test/node/better-auth.test.ts.
import { describe, expect, it } from 'vitest';
import { configProblems } from '../../../src/config.ts';
import { apiWith } from '../support/api.ts';

const BASE = { APP_ENV: 'test', BETTER_AUTH_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://u@h/db' };
const issuer = (overrides: Record<string, unknown> = {}) => ({
  issuer: 'https://auth.example.com',
  jwksUrl: 'https://auth.example.com/api/auth/jwks',
  audience: 'https://tasks.example.com',
  algorithms: ['EdDSA'],
  ...overrides,
});
const problems = (value: unknown) =>
  configProblems({ ...BASE, TRUSTED_ISSUERS: typeof value === 'string' ? value : JSON.stringify(value) }).filter(
    (problem) => problem.startsWith('TRUSTED_ISSUERS'),
  );

describe('TRUSTED_ISSUERS', () => {
  it('unset or empty: no external issuer; a valid list (https, or http on loopback) is accepted', () => {
    expect(configProblems(BASE)).toEqual([]);
    expect(problems('')).toEqual([]);
    expect(
      problems([
        issuer(),
        issuer({ issuer: 'http://127.0.0.1:3000', jwksUrl: 'http://127.0.0.1:3000/api/auth/jwks' }),
        issuer({ issuer: 'https://neon-auth.example', algorithms: ['EdDSA', 'ES256', 'RS256', 'PS256'] }),
        issuer({ issuer: 'https://short-lived.example', maxTokenLifetimeSeconds: 3600 }),
      ]),
    ).toEqual([]);
  });

  it.each([
    ['HS256 (a public key would be the HMAC secret)', [issuer({ algorithms: ['HS256'] })]],
    ['none', [issuer({ algorithms: ['none'] })]],
    ['no algorithm at all', [issuer({ algorithms: [] })]],
    ['keys over plain http off loopback', [issuer({ jwksUrl: 'http://auth.example.com/api/auth/jwks' })]],
    ['a key set URL that is not a URL', [issuer({ jwksUrl: 'auth.example.com/jwks' })]],
    [
      "this API's own issuer (its session tokens would be judged by that issuer's keys)",
      [issuer({ issuer: 'task-api' })],
    ],
    ['no audience', [{ ...issuer(), audience: undefined }]],
    ['an empty audience', [issuer({ audience: '' })]],
    ['an unknown field (a typo must not be ignored)', [issuer({ audiences: ['x'] })]],
    ['one issuer twice', [issuer(), issuer({ audience: 'other' })]],
    ['a token lifetime of 0 s', [issuer({ maxTokenLifetimeSeconds: 0 })]],
    ['a token lifetime that is not a whole number', [issuer({ maxTokenLifetimeSeconds: 1.5 })]],
    ['a token lifetime as text', [issuer({ maxTokenLifetimeSeconds: '3600' })]],
    ['a token lifetime over 30 days', [issuer({ maxTokenLifetimeSeconds: 30 * 86_400 + 1 })]],
    ['not JSON', '[{issuer: https://auth.example.com}]'],
    ['JSON but not an array', issuer()],
  ])('%s → a named problem', (_name, value) => {
    expect(problems(value).length).toBeGreaterThan(0);
  });

  it('a bad list fails closed: every route answers 500 CONFIG_INVALID', async () => {
    const response = await apiWith(
      { TRUSTED_ISSUERS: JSON.stringify([issuer({ algorithms: ['HS256'] })]) },
      '/api/tasks',
    );
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
