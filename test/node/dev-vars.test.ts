// `npm run dev` configuration: .dev.vars.example documents the keys, .dev.vars holds them, and the
// environment wins for every documented key (DATABASE_URL=… CORS_ORIGINS=… npm run dev).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDotEnv, mergeDevVars, parseDotEnv } from '../../scripts/lib/dev-vars.ts';
import { ROOT } from '../../scripts/lib/migrations.ts';

const documented = parseDotEnv(readFileSync(join(ROOT, '.dev.vars.example'), 'utf8'));

describe('dev variables', () => {
  it('.dev.vars.example documents every variable the config reads', () => {
    expect(Object.keys(documented).sort()).toEqual(
      [
        'ACCESS_TOKEN_TTL_SECONDS',
        'APP_ENV',
        'APP_URL',
        'BCRYPT_COST',
        'BETTER_AUTH_SECRET',
        'CORS_ORIGINS',
        'DATABASE_URL',
        'EMAIL_TRANSPORT',
        'TRUSTED_ISSUERS',
      ].sort(),
    );
  });

  it('the environment wins over .dev.vars for documented keys; undocumented or empty ones do not', () => {
    const fromFile = { BETTER_AUTH_SECRET: 'file-secret', CORS_ORIGINS: 'http://file.test', BCRYPT_COST: '13' };
    const merged = mergeDevVars(documented, fromFile, {
      CORS_ORIGINS: 'http://env.test',
      DATABASE_URL: 'postgres://env/db',
      BCRYPT_COST: '',
      HOME: '/root',
    });
    expect(merged).toEqual({
      BETTER_AUTH_SECRET: 'file-secret',
      CORS_ORIGINS: 'http://env.test',
      BCRYPT_COST: '13',
      DATABASE_URL: 'postgres://env/db',
    });
  });

  it('what dev writes for wrangler reads back unchanged (quotes, = and # in values)', () => {
    const vars = {
      A: 'plain',
      B: 'with=equals#hash',
      C: 'postgres://u:p@h:5432/db?sslmode=require',
      D: '[{"issuer":"https://auth.example","audience":"a\\b"}]', // JSON (TRUSTED_ISSUERS) stays literal
    };
    expect(parseDotEnv(formatDotEnv(vars))).toEqual(vars);
    expect(() => formatDotEnv({ E: "it's" })).toThrow(/E: a value with a single quote/);
  });
});
