// Signin (SECURITY A3, B7, B11) and the signin lookup's index.

import { Pool } from '@neondatabase/serverless';
import { eq, sql as sqlTag } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bcrypt, bcryptComparisons } from '../../../src/auth/accounts/passwords.ts';
import type { SessionDto } from '../../../src/auth/schemas.ts';
import { users } from '../../../src/db/schema.ts';
import { api, apiWith, countingStatements, jsonRequest, queryDatabase } from '../support/api.ts';
import {
  authPost,
  authPostWith,
  bodyWithoutRequestId,
  freshIp,
  headersWithoutRequestId,
  PRODUCTION_DEFAULTS,
  signUp,
  uniqueEmail,
} from '../support/auth.ts';
import { holdTransaction, runInTransaction, waitUntilBlocked } from '../support/interleave.ts';
import { insideOneWindow } from '../support/rate-limit.ts';

/** A rate-limit binding that never limits, for tests that are about something else. */
const unlimited = { limit: async () => ({ success: true }) };

async function storedHash(email: string): Promise<string> {
  const [row] = await queryDatabase<{ password_hash: string }>('select password_hash from users where email = $1', [
    email,
  ]);
  return row.password_hash;
}

/** A 429 that cost nothing: no statement, no bcrypt comparison. */
async function expectLimitedForFree(path: string, body: unknown, ip: string) {
  const before = bcryptComparisons();
  const { response, statements } = await countingStatements(
    path,
    jsonRequest(body, { headers: { 'CF-Connecting-IP': ip } }),
  );
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
  expect(await response.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  expect(statements).toBe(0);
  expect(bcryptComparisons() - before).toBe(0);
}

/** A fresh random IPv6 /64, as its four leading groups. */
function freshSlash64(): string {
  const groups = [...crypto.getRandomValues(new Uint16Array(2))].map((group) => group.toString(16));
  return `2001:db8:${groups.join(':')}`;
}

describe('POST /api/auth/signin', () => {
  afterEach(() => vi.restoreAllMocks());

  it('200 with a fresh Session for the right password', async () => {
    const { email, password, userId } = await signUp();
    const response = await authPost('/api/auth/signin', { email, password });
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const session = (await response.json()) as SessionDto;
    expect(session.user.id).toBe(userId);
    expect(session.tokenType).toBe('Bearer');
    expect(JSON.stringify(session)).not.toMatch(/password|hash|\$2b\$/i);
  });

  it('a 72-byte password P signs in with P but not with P + "x" (bcrypt would ignore the 73rd byte)', async () => {
    const password = 'p'.repeat(72);
    const { email } = await signUp(uniqueEmail('p72'), password);
    expect((await authPost('/api/auth/signin', { email, password })).status).toBe(200);
    const longer = await authPost('/api/auth/signin', { email, password: `${password}x` });
    expect(longer.status).toBe(401);
    expect(await longer.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('unknown email and wrong password: identical status, headers and body but for the request id', async () => {
    const { email } = await signUp();
    const wrong = await authPost('/api/auth/signin', { email, password: 'wrong password' });
    const unknown = await authPost('/api/auth/signin', { email: uniqueEmail('nobody'), password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(headersWithoutRequestId(unknown)).toEqual(headersWithoutRequestId(wrong));
    expect(await bodyWithoutRequestId(unknown)).toEqual(await bodyWithoutRequestId(wrong));
    expect(wrong.headers.get('WWW-Authenticate')).toBeNull();
  });

  it('after a bcrypt cost change, unknown email and wrong password still take similar time (medians within 10% over 50 tries)', async () => {
    // The production path's shape with two costs in play: the account was hashed at the old cost (8),
    // the configured cost is now 9 (the dummy that unknown emails are compared against is at 9). Its
    // owner signs in once, which moves the stored hash to the configured cost; from then on a wrong
    // password costs what an unknown email costs. (Costs 8/9 make bcrypt dominate the request, as 12
    // does in production — enough that a busy machine's jitter stays well inside 10% — while keeping
    // the test short.)
    const password = 'timing password';
    const email = uniqueEmail('timing');
    const ip = () => ({ headers: { 'CF-Connecting-IP': freshIp() } });
    const signup = await apiWith({ BCRYPT_COST: '8' }, '/api/auth/signup', jsonRequest({ email, password }, ip()));
    expect(signup.status).toBe(201);
    expect(await storedHash(email)).toMatch(/^\$2b\$08\$/);
    // 100 attempts at one account: this test is about timing, not the per-account limit.
    const bindings = { BCRYPT_COST: '9', SIGNIN_ACCOUNT_RATE_LIMITER: unlimited };
    expect((await apiWith(bindings, '/api/auth/signin', jsonRequest({ email, password }, ip()))).status).toBe(200);
    expect(await storedHash(email)).toMatch(/^\$2b\$09\$.{53}$/);
    const attempt = async (candidate: string) => {
      const started = performance.now();
      const response = await apiWith(
        bindings,
        '/api/auth/signin',
        jsonRequest({ email: candidate, password: 'not the password' }, ip()),
      );
      expect(response.status).toBe(401);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    await attempt(uniqueEmail('warmup'));
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 50; i++) {
      known.push(await attempt(email));
      unknown.push(await attempt(uniqueEmail('ghost')));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const [knownMedian, unknownMedian] = [median(known), median(unknown)];
    console.info(
      `signin timing medians: wrong password ${knownMedian.toFixed(1)} ms, unknown email ${unknownMedian.toFixed(1)} ms, ratio ${(knownMedian / unknownMedian).toFixed(3)}`,
    );
    expect(Math.abs(knownMedian - unknownMedian) / knownMedian).toBeLessThan(0.1);
  }, 60_000);

  it('a signin rehashes in the same second statement, only when the cost differs, and the new hash works', async () => {
    const password = 'rehash me please';
    const email = uniqueEmail('rehash');
    const ip = () => ({ headers: { 'CF-Connecting-IP': freshIp() } });
    expect(
      (await apiWith({ BCRYPT_COST: '5' }, '/api/auth/signup', jsonRequest({ email, password }, ip()))).status,
    ).toBe(201);
    const old = await storedHash(email);
    // A wrong password changes nothing.
    expect((await authPost('/api/auth/signin', { email, password: 'wrong password' })).status).toBe(401);
    expect(await storedHash(email)).toBe(old);
    // The configured cost (4 in tests) differs: still two statements, the hash moves to cost 4.
    const { response, statements } = await countingStatements(
      '/api/auth/signin',
      jsonRequest({ email, password }, ip()),
    );
    expect(response.status).toBe(200);
    expect(statements).toBe(2);
    const rehashed = await storedHash(email);
    expect(rehashed).toMatch(/^\$2b\$04\$.{53}$/);
    // Same cost now: nothing rewritten, and the new hash signs in.
    expect((await authPost('/api/auth/signin', { email, password })).status).toBe(200);
    expect(await storedHash(email)).toBe(rehashed);
  });

  it('one bcrypt comparison per signin: right password, wrong password, unknown email', async () => {
    const { email, password } = await signUp();
    for (const body of [
      { email, password },
      { email, password: 'wrong password' },
      { email: uniqueEmail('nobody'), password: 'wrong password' },
    ]) {
      const before = bcryptComparisons();
      const response = await authPostWith({}, '/api/auth/signin', body);
      expect([200, 401]).toContain(response.status);
      expect(bcryptComparisons() - before).toBe(1);
    }
  });

  it('with production settings, an unknown email is compared once against a cost-12 dummy hash (401 INVALID_CREDENTIALS)', async () => {
    // The dummy must cost what a real account's hash costs in production (12), or an unknown email
    // would answer faster than a wrong password and tell which addresses have accounts. The Worker
    // calls bcryptjs through the `bcrypt` object of src/auth/accounts/passwords.ts (named imports, so bcryptjs's
    // own default export never sees the call): that object is what is spied on.
    const compare = vi.spyOn(bcrypt, 'compare');
    const response = await authPostWith(PRODUCTION_DEFAULTS, '/api/auth/signin', {
      email: uniqueEmail('nobody12'),
      password: 'not anybody\u2019s password',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(compare).toHaveBeenCalledTimes(1);
    const [password, hash] = compare.mock.calls[0];
    expect(password).toBe('not anybody\u2019s password');
    expect(hash).toMatch(/^\$2b\$12\$.{53}$/);
  });

  it('only checks for strings of sane length: a missing field or a 2 KB password is 400', async () => {
    expect((await authPost('/api/auth/signin', { email: 'a@b.test' })).status).toBe(400);
    expect((await authPost('/api/auth/signin', { email: 'a@b.test', password: 'x'.repeat(2000) })).status).toBe(400);
    // Not an address at all is just a failed signin, not a validation error.
    const notAnEmail = await authPost('/api/auth/signin', { email: 'not an email', password: 'whatever123' });
    expect(notAnEmail.status).toBe(401);
  });

  it('the lookup by email uses the unique index on lower(email)', async () => {
    await queryDatabase(
      `insert into users (email, password_hash)
       select 'idx-' || i || '-' || md5(random()::text) || '@example.test', $1 from generate_series(1, 2000) i`,
      [`$2b$04$${'x'.repeat(53)}`],
    );
    await queryDatabase('analyze users');
    // The exact statement the repository sends, as drizzle builds it.
    const query = drizzle({ client: new Pool({ connectionString: 'postgres://unused@localhost/unused' }) })
      .select()
      .from(users)
      .where(eq(sqlTag`lower(${users.email})`, 'someone@example.test'))
      .limit(1)
      .toSQL();
    const plan = await queryDatabase<{ 'QUERY PLAN': unknown }>(`explain (format json) ${query.sql}`, query.params);
    const text = JSON.stringify(plan[0]['QUERY PLAN']);
    expect(text).toContain('"Index Name":"ux_users_email_lower"');
    expect(text).not.toContain('"Node Type":"Seq Scan"');
  });
});

describe('signin racing account deletion', () => {
  it('a signin whose session insert meets the account being deleted answers 401 INVALID_CREDENTIALS, not 500', async () => {
    const account = await signUp();
    // The deletion holds the user row, uncommitted, until a gate (an advisory lock held by another open
    // transaction) lets it commit. The signin's lookup still sees the row, and its session insert then
    // waits on the row for its foreign-key check; only then does the gate open.
    const gateKey = crypto.getRandomValues(new Uint32Array(1))[0];
    const gate = await holdTransaction([{ text: 'select pg_advisory_xact_lock($1)', params: [gateKey] }]);
    const deletion = runInTransaction([
      { text: 'delete from users where id = $1', params: [account.userId] },
      { text: 'select pg_advisory_xact_lock($1)', params: [gateKey] },
    ]);
    await waitUntilBlocked('pg_advisory_xact_lock');
    const signin = authPost('/api/auth/signin', { email: account.email, password: account.password });
    await waitUntilBlocked('insert into "sessions"');
    await gate.release();
    await deletion;
    const response = await signin;
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
    expect(await queryDatabase('select 1 from sessions where user_id = $1', [account.userId])).toEqual([]);
  });
});

describe('rate limiting of signin and signup', () => {
  it('the 11th attempt from one CF-Connecting-IP within 60 s is 429 RATE_LIMITED with Retry-After, before validation or bcrypt', async () => {
    const ip = freshIp();
    await insideOneWindow();
    const attempt = (body: unknown, extra: Record<string, string> = {}) =>
      api('/api/auth/signin', jsonRequest(body, { headers: { 'CF-Connecting-IP': ip, ...extra } }));
    for (let i = 0; i < 10; i++) {
      const response = await attempt({ email: uniqueEmail('rl'), password: 'wrong password' });
      expect(response.status).toBe(401);
    }
    const limited = await attempt({ email: uniqueEmail('rl'), password: 'wrong password' });
    expect(limited.status).toBe(429);
    // The window's length: a retry that waits this long starts a fresh window.
    expect(limited.headers.get('Retry-After')).toBe('60');
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    // An invalid body is still 429: the limit is decided before validation, so before any bcrypt work.
    expect((await attempt({ nonsense: true })).status).toBe(429);
    // Signup shares the budget; X-Forwarded-For cannot open a new one.
    const signup = await api(
      '/api/auth/signup',
      jsonRequest(
        { email: uniqueEmail('rl'), password: 'long enough' },
        { headers: { 'CF-Connecting-IP': ip, 'X-Forwarded-For': '1.2.3.4' } },
      ),
    );
    expect(signup.status).toBe(429);
    // Another address is unaffected.
    expect((await authPost('/api/auth/signin', { email: uniqueEmail('rl'), password: 'wrong password' })).status).toBe(
      401,
    );
  });
});

describe('rate limits that rotating addresses cannot step around', () => {
  it('11 signins from 11 addresses of one IPv6 /64 (any spelling): the 11th is 429, before any query or bcrypt', async () => {
    const net = freshSlash64();
    await insideOneWindow();
    const spellings = (i: number) =>
      [`${net}::${i + 1}`, `${net.toUpperCase()}:0:0:${i}:1`, `${net}:${(i * 4099).toString(16)}:0:0:7`][i % 3];
    for (let i = 0; i < 10; i++) {
      const response = await authPost(
        '/api/auth/signin',
        { email: uniqueEmail('v6'), password: 'wrong password' },
        { 'CF-Connecting-IP': spellings(i) },
      );
      expect(response.status).toBe(401);
    }
    await expectLimitedForFree(
      '/api/auth/signin',
      { email: uniqueEmail('v6'), password: 'wrong password' },
      `${net}:ffff:ffff:ffff:ffff`,
    );
    // Another /64 is another network.
    const other = `${freshSlash64()}::1`;
    expect(
      (
        await authPost(
          '/api/auth/signin',
          { email: uniqueEmail('v6'), password: 'wrong password' },
          { 'CF-Connecting-IP': other },
        )
      ).status,
    ).toBe(401);
  });

  it('an IPv4-mapped IPv6 address counts against its IPv4 address', async () => {
    const ip = freshIp();
    await insideOneWindow();
    for (let i = 0; i < 10; i++) {
      const address = i % 2 ? ip : `::ffff:${ip}`;
      const response = await authPost(
        '/api/auth/signin',
        { email: uniqueEmail('map'), password: 'x' },
        { 'CF-Connecting-IP': address },
      );
      expect(response.status).toBe(401);
    }
    await expectLimitedForFree('/api/auth/signin', { email: uniqueEmail('map'), password: 'x' }, `::FFFF:${ip}`);
  });

  it('11 signins at one account from 11 unrelated networks: the 11th is 429 (any case), before any query or bcrypt; other accounts unaffected', async () => {
    const victim = await signUp();
    const attacker = freshIp();
    await insideOneWindow();
    for (let i = 0; i < 10; i++) {
      const response = await authPost('/api/auth/signin', { email: victim.email, password: `guess number ${i}` });
      expect(response.status).toBe(401);
    }
    // Even the right password waits: the limit is decided before the password is looked at.
    await expectLimitedForFree(
      '/api/auth/signin',
      { email: ` ${victim.email.toUpperCase()} `, password: victim.password },
      attacker,
    );
    // Another account, from the very same network, is unaffected.
    const bystander = await signUp();
    expect(
      (
        await authPost(
          '/api/auth/signin',
          { email: bystander.email, password: bystander.password },
          { 'CF-Connecting-IP': attacker },
        )
      ).status,
    ).toBe(200);
  });

  it('the per-account limiter is never keyed on the address itself', async () => {
    const keys: string[] = [];
    const recording = {
      limit: async ({ key }: { key: string }) => {
        keys.push(key);
        return { success: true };
      },
    };
    const email = uniqueEmail('keyed');
    const response = await authPostWith({ SIGNIN_ACCOUNT_RATE_LIMITER: recording }, '/api/auth/signin', {
      email,
      password: 'wrong password',
    });
    expect(response.status).toBe(401);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^account:[0-9a-f]{32}$/);
    expect(keys[0]).not.toContain(email.split('@')[0]);
    // Keyed: not the plain SHA-256 of the address.
    const plain = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(email));
    const plainHex = [...new Uint8Array(plain)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    expect(plainHex).not.toContain(keys[0].slice('account:'.length));
  });

  it('without its binding, signin refuses to serve (500 CONFIG_INVALID), never unprotected', async () => {
    const response = await authPostWith({ SIGNIN_ACCOUNT_RATE_LIMITER: undefined }, '/api/auth/signin', {
      email: uniqueEmail('nolimit'),
      password: 'wrong password',
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
