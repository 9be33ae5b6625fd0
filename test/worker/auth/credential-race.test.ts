// A signin that checked the old password a moment before a password change (or a reset) committed must
// not leave a session behind. The change's statement ends the sessions its snapshot sees; a signin whose
// own statement read the old hash just before the change committed writes its session after that
// snapshot was taken. Each session records the account's credential version, and only sessions of the
// current version are live, so such a session is dead on arrival: no refresh, no access token.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { SessionDto } from '../../../src/auth/schemas.ts';
import { hashRefreshToken, newRefreshToken } from '../../../src/auth/sessions/refresh-tokens.ts';
import { openSession } from '../../../src/auth/sessions/repository.ts';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/db/client.ts';
import { apiWith, jsonRequest, queryDatabase } from '../support/api.ts';
import { bearer, craftToken, freshIp, signUp } from '../support/auth.ts';
import { holdTransaction, waitUntilBlocked } from '../support/interleave.ts';
import { latestLinkToken } from '../support/mail.ts';

/** A rate-limit binding that never limits: this test is about the race, not the budgets. */
const unlimited = { limit: async () => ({ success: true }) };
const NO_LIMITS = {
  AUTH_RATE_LIMITER: unlimited,
  SIGNIN_ACCOUNT_RATE_LIMITER: unlimited,
  REFRESH_RATE_LIMITER: unlimited,
};

const LEAD_IN = 10;
const TRAIL = 10;
const MAX_SIGNINS = 60;
const STAGGER_MS = 5;
// The window is a few milliseconds of database time per race; without the version check one round
// leaves a survivor most of the time, so several rounds make a miss unlikely.
const ROUNDS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  apiWith(NO_LIMITS, path, jsonRequest(body, { headers: { 'CF-Connecting-IP': freshIp(), ...headers } }));

interface RaceResult {
  signins: number;
  signedIn: number;
  refused: number;
  survivors: number;
}

/**
 * Signins with the old password, one every STAGGER_MS: LEAD_IN of them before `change` starts, then on
 * until its answer is back and TRAIL more after it (so they cover the change's statement, however long
 * it takes), at most MAX_SIGNINS. Then counts the sessions they opened that still work.
 */
async function raceSignins(email: string, password: string, change: () => Promise<Response>): Promise<RaceResult> {
  const signins: Promise<Response>[] = [];
  const signIn = () => signins.push(post('/api/auth/signin', { email, password }));
  for (let i = 0; i < LEAD_IN; i++) {
    signIn();
    await sleep(STAGGER_MS);
  }
  let done = false;
  const changed = change().finally(() => {
    done = true;
  });
  while (!done && signins.length < MAX_SIGNINS - TRAIL) {
    signIn();
    await sleep(STAGGER_MS);
  }
  for (let i = 0; i < TRAIL; i++) {
    signIn();
    await sleep(STAGGER_MS);
  }
  expect((await changed).status).toBeLessThan(300);
  const responses = await Promise.all(signins);
  const sessions: SessionDto[] = [];
  let refused = 0;
  for (const response of responses) {
    if (response.status === 200) sessions.push((await response.json()) as SessionDto);
    else {
      expect(response.status).toBe(401);
      refused += 1;
    }
  }
  let survivors = 0;
  for (const session of sessions) {
    const me = await apiWith(NO_LIMITS, '/api/auth/me', { headers: bearer(session.accessToken) });
    const refreshed = await post('/api/auth/refresh', { refreshToken: session.refreshToken });
    expect([200, 401]).toContain(me.status);
    expect([200, 401]).toContain(refreshed.status);
    if (me.status === 200 || refreshed.status === 200) survivors += 1;
  }
  return { signins: responses.length, signedIn: sessions.length, refused, survivors };
}

/** ROUNDS races, each on a fresh account, added up. */
async function rounds(race: () => Promise<RaceResult>): Promise<RaceResult> {
  const total: RaceResult = { signins: 0, signedIn: 0, refused: 0, survivors: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const result = await race();
    for (const key of Object.keys(total) as (keyof RaceResult)[]) total[key] += result[key];
  }
  return total;
}

function report(what: string, result: RaceResult) {
  // Straight to stdout: the figures are the point, and vitest silences console output of passing tests.
  process.stdout.write(
    `${what}: ${result.signins} signins raced in ${ROUNDS} rounds (${result.signedIn} answered 200, ${result.refused} 401), survivors: ${result.survivors}\n`,
  );
}

describe('signins racing a credential change', () => {
  it('no session opened with the old password survives a concurrent password change', async () => {
    const result = await rounds(async () => {
      const account = await signUp();
      return raceSignins(account.email, account.password, () =>
        post(
          '/api/auth/password',
          { currentPassword: account.password, newPassword: 'changed during the race' },
          bearer(account.token),
        ),
      );
    });
    report('password change', result);
    // Both sides of the race were exercised: signins before the change (200) and after it (401).
    expect(result.signedIn).toBeGreaterThan(0);
    expect(result.refused).toBeGreaterThan(0);
    expect(result.survivors).toBe(0);
  });

  it('no session opened with the old password survives a concurrent password reset', async () => {
    const result = await rounds(async () => {
      const account = await signUp();
      expect((await post('/api/auth/password-reset', { email: account.email })).status).toBe(202);
      const token = await latestLinkToken(account.email, 'reset-password');
      return raceSignins(account.email, account.password, () =>
        post('/api/auth/password-reset/confirm', { token, newPassword: 'reset during the race' }),
      );
    });
    report('password reset', result);
    expect(result.signedIn).toBeGreaterThan(0);
    expect(result.refused).toBeGreaterThan(0);
    expect(result.survivors).toBe(0);
  });
});

describe('the interleaving behind the race, set up step by step', () => {
  // The signin's statement reads the old hash, then waits (on a refresh-token hash that another,
  // uncommitted transaction also inserts) while the change commits; its session row lands after the
  // change's statement looked for sessions to end.
  it.each([
    ['password change', 'changed in between'],
    ['password reset', 'reset in between'],
  ])(
    'a signin that read the old hash before a %s committed opens a session that is already over',
    async (kind, newPassword) => {
      const account = await signUp();
      const [{ password_hash: oldHash }] = await queryDatabase<{ password_hash: string }>(
        'select password_hash from users where id = $1',
        [account.userId],
      );
      const resetToken =
        kind === 'password reset'
          ? await (async () => {
              expect((await post('/api/auth/password-reset', { email: account.email })).status).toBe(202);
              return latestLinkToken(account.email, 'reset-password');
            })()
          : undefined;
      const refreshToken = newRefreshToken();
      const refreshTokenHash = await hashRefreshToken(refreshToken);
      const other = await signUp();
      const blocker = await holdTransaction([
        {
          text: `insert into sessions (user_id, refresh_token_hash, idle_expires_at, expires_at)
               values ($1, $2, now() + interval '1 hour', now() + interval '1 hour')`,
          params: [other.userId, refreshTokenHash],
        },
      ]);
      const db = createDatabase(loadConfig(env as Bindings));
      const signin = openSession(db, account.userId, oldHash, {
        refreshTokenHash,
        userAgent: null,
        idleSeconds: 3600,
        maxSeconds: 7200,
      });
      await waitUntilBlocked('insert into "sessions"');
      const changed = resetToken
        ? await post('/api/auth/password-reset/confirm', { token: resetToken, newPassword })
        : await post('/api/auth/password', { currentPassword: account.password, newPassword }, bearer(account.token));
      expect(changed.status).toBeLessThan(300);
      await blocker.release();
      const opened = await signin;
      // The signin did open its session: the old hash was current in its snapshot.
      expect(opened?.sessionId).toEqual(expect.any(String));
      const sessionId = opened?.sessionId as string;
      const accessToken = await craftToken({ sub: account.userId, sid: sessionId });
      expect((await apiWith(NO_LIMITS, '/api/auth/me', { headers: bearer(accessToken) })).status).toBe(401);
      expect((await post('/api/auth/refresh', { refreshToken })).status).toBe(401);
    },
  );
});
