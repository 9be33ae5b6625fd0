// Signin (SECURITY A3, B7, B11) and the signin lookup's index.

import { Pool } from '@neondatabase/serverless';
import { eq, sql as sqlTag } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { describe, expect, it } from 'vitest';
import type { SessionDto } from '../../../src/auth/schemas.ts';
import { users } from '../../../src/db/schema.ts';
import { api, apiWith, jsonRequest, queryDatabase } from '../support/api.ts';
import {
  authPost,
  bodyWithoutRequestId,
  freshIp,
  headersWithoutRequestId,
  signUp,
  uniqueEmail,
} from '../support/auth.ts';

describe('POST /api/auth/signin', () => {
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

  it('unknown email and wrong password take similar time (medians within 10% over 50 tries)', async () => {
    // Cost 8 makes bcrypt dominate the request, as cost 12 does in production, while keeping the test short.
    const bindings = { BCRYPT_COST: '8' };
    const password = 'timing password';
    const email = uniqueEmail('timing');
    expect(
      (
        await apiWith(
          bindings,
          '/api/auth/signup',
          jsonRequest({ email, password }, { headers: { 'CF-Connecting-IP': freshIp() } }),
        )
      ).status,
    ).toBe(201);
    const attempt = async (candidate: string) => {
      const started = performance.now();
      const response = await apiWith(
        bindings,
        '/api/auth/signin',
        jsonRequest({ email: candidate, password: 'not the password' }, { headers: { 'CF-Connecting-IP': freshIp() } }),
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
    console.log(
      `signin timing medians: wrong password ${knownMedian.toFixed(1)} ms, unknown email ${unknownMedian.toFixed(1)} ms`,
    );
    expect(Math.abs(knownMedian - unknownMedian) / knownMedian).toBeLessThan(0.1);
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

describe('rate limiting of signin and signup', () => {
  it('the 11th attempt from one CF-Connecting-IP within 60 s is 429 RATE_LIMITED with Retry-After, before validation or bcrypt', async () => {
    const ip = freshIp();
    const attempt = (body: unknown, extra: Record<string, string> = {}) =>
      api('/api/auth/signin', jsonRequest(body, { headers: { 'CF-Connecting-IP': ip, ...extra } }));
    for (let i = 0; i < 10; i++) {
      const response = await attempt({ email: uniqueEmail('rl'), password: 'wrong password' });
      expect(response.status).toBe(401);
    }
    const limited = await attempt({ email: uniqueEmail('rl'), password: 'wrong password' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
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
