// In development the auth limits are relaxed, so a developer's reloads and scripts do not hit them;
// RATE_LIMITS=strict serves the deployed limits there (the limit tests elsewhere run as APP_ENV=test,
// which is strict). Production refuses relaxed limits.
import { describe, expect, it } from 'vitest';
import { apiWith, jsonRequest } from '../support/api.ts';
import { freshIp, PRODUCTION_DEFAULTS, uniqueEmail } from '../support/auth.ts';
import { insideOneWindow } from '../support/rate-limit.ts';

// bcrypt's cost may be lowered only in APP_ENV=test; the attempts below never reach bcrypt anyway.
const DEVELOPMENT = { APP_ENV: 'development', BCRYPT_COST: '12' };

/**
 * 12 signin attempts from one network (the deployed limit is 10 per 60 s), each with an invalid body: the
 * limit is decided before validation, so each is 429 when limited and 400 otherwise, with no bcrypt work.
 */
async function twelveSignins(bindings: Record<string, unknown>): Promise<number[]> {
  await insideOneWindow();
  const ip = freshIp();
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const body = { email: uniqueEmail('dev-limits') };
    const response = await apiWith(
      bindings,
      '/api/auth/signin',
      jsonRequest(body, { headers: { 'CF-Connecting-IP': ip } }),
    );
    statuses.push(response.status);
    await response.body?.cancel();
  }
  return statuses;
}

describe('auth rate limits in development', () => {
  it('relaxed by default: 12 signins from one network within a minute are all answered', async () => {
    expect(await twelveSignins(DEVELOPMENT)).toEqual(Array(12).fill(400));
  });

  it('RATE_LIMITS=strict serves the deployed limit: the 11th is 429', async () => {
    const statuses = await twelveSignins({ ...DEVELOPMENT, RATE_LIMITS: 'strict' });
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('production refuses RATE_LIMITS=relaxed: 500 CONFIG_INVALID, nothing served', async () => {
    const response = await apiWith({ ...PRODUCTION_DEFAULTS, RATE_LIMITS: 'relaxed' }, '/api/health/live');
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
