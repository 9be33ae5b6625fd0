// Email verification: signup sends a link, an authenticated request sends another (24 h), and the token
// marks the address verified once; emailVerified appears on the User object everywhere.
import { describe, expect, it } from 'vitest';
import type { SessionDto } from '../../../src/auth/schemas.ts';
import { api, countingStatements, jsonRequest, queryDatabase } from '../support/api.ts';
import { authPost, bearer, freshIp, signUp, uniqueEmail } from '../support/auth.ts';
import { latestLinkToken, settledEmailsTo, waitForLinks } from '../support/mail.ts';
import { refreshed } from '../support/sessions.ts';

const verify = (token: string) =>
  api('/api/auth/verify-email', jsonRequest({ token }, { headers: { 'CF-Connecting-IP': freshIp() } }));
const requestVerification = (accessToken: string) =>
  api('/api/auth/verify-email/request', {
    method: 'POST',
    headers: { ...bearer(accessToken), 'CF-Connecting-IP': freshIp() },
  });
const me = async (accessToken: string) =>
  ((await (await api('/api/auth/me', { headers: bearer(accessToken) })).json()) as { user: SessionDto['user'] }).user;

/** Moves the account's verification emails `seconds` into the past. */
const ageVerificationEmails = (userId: string, seconds: number) =>
  queryDatabase(
    `update email_tokens set created_at = created_at - make_interval(secs => $2::int)
      where user_id = $1 and purpose = 'verify_email'`,
    [userId, seconds],
  );
const storedVerificationTokens = async (userId: string) =>
  (
    await queryDatabase<{ n: number }>(
      `select count(*)::int as n from email_tokens where user_id = $1 and purpose = 'verify_email'`,
      [userId],
    )
  )[0].n;
/** The verification links sent to `to`, once sends under way have had time to arrive. */
const settledLinks = async (to: string) =>
  (await settledEmailsTo(to)).filter((message) => message.text.includes('/verify-email#token='));

async function expectTokenInvalid(response: Response) {
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ code: 'TOKEN_INVALID', status: 400 });
}

describe('email verification', () => {
  it('signup sends a link; the token verifies the address once; emailVerified everywhere', async () => {
    const account = await signUp();
    expect(account.session.user.emailVerified).toBe(false);
    expect((await me(account.token)).emailVerified).toBe(false);

    const token = await latestLinkToken(account.email, 'verify-email');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [{ ttl }] = await queryDatabase<{ ttl: number }>(
      `select extract(epoch from expires_at - created_at)::int as ttl from email_tokens
        where user_id = $1 and purpose = 'verify_email'`,
      [account.userId],
    );
    expect(ttl).toBe(24 * 3600);

    expect((await verify(token)).status).toBe(204);
    expect((await me(account.token)).emailVerified).toBe(true);
    await expectTokenInvalid(await verify(token));

    const signin = await authPost('/api/auth/signin', { email: account.email, password: account.password });
    expect(((await signin.json()) as SessionDto).user.emailVerified).toBe(true);
    expect((await refreshed(account.refreshToken)).user.emailVerified).toBe(true);
    const changed = await api(
      '/api/auth/password',
      jsonRequest(
        { currentPassword: account.password, newPassword: 'another fine password' },
        { headers: { ...bearer(account.token), 'CF-Connecting-IP': freshIp() } },
      ),
    );
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as SessionDto).user.emailVerified).toBe(true);
  });

  it('an authenticated request sends a fresh 24 h link (202 {}); without a live session 401', async () => {
    const account = await signUp();
    await ageVerificationEmails(account.userId, 61);
    const response = await requestVerification(account.token);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({});
    const tokens = await waitForLinks(account.email, 'verify-email', 2);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect((await verify(tokens[1])).status).toBe(204);
    // The older link still works once (already verified: stays verified).
    expect((await verify(tokens[0])).status).toBe(204);

    expect((await api('/api/auth/verify-email/request', { method: 'POST' })).status).toBe(401);
    await api('/api/auth/signout', { method: 'POST', headers: bearer(account.token) });
    expect((await requestVerification(account.token)).status).toBe(401);
  });

  it('TOKEN_INVALID: expired, unknown, a reset token, an address changed since, a deleted account', async () => {
    const expired = await signUp();
    const expiredToken = await latestLinkToken(expired.email, 'verify-email');
    await queryDatabase(`update email_tokens set expires_at = now() - interval '1 second' where user_id = $1`, [
      expired.userId,
    ]);
    await expectTokenInvalid(await verify(expiredToken));
    expect((await me(expired.token)).emailVerified).toBe(false);

    await expectTokenInvalid(await verify('B'.repeat(43)));

    const resetting = await signUp();
    const reset = await api(
      '/api/auth/password-reset',
      jsonRequest({ email: resetting.email }, { headers: { 'CF-Connecting-IP': freshIp() } }),
    );
    expect(reset.status).toBe(202);
    await expectTokenInvalid(await verify(await latestLinkToken(resetting.email, 'reset-password')));

    const moved = await signUp();
    const movedToken = await latestLinkToken(moved.email, 'verify-email');
    await queryDatabase('update users set email = $2 where id = $1', [moved.userId, uniqueEmail('moved')]);
    await expectTokenInvalid(await verify(movedToken));
    expect((await me(moved.token)).emailVerified).toBe(false);

    const deleted = await signUp();
    const deletedToken = await latestLinkToken(deleted.email, 'verify-email');
    await queryDatabase('delete from users where id = $1', [deleted.userId]);
    await expectTokenInvalid(await verify(deletedToken));

    const empty = await api('/api/auth/verify-email', jsonRequest({ token: '' }));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('5 quick requests store and send exactly one email; then at most one per 60 s and 3 per hour per account, answering 202 every time', async () => {
    const account = await signUp();
    // The signup's email counts too: a request right after it sends nothing.
    await waitForLinks(account.email, 'verify-email', 1);
    expect((await requestVerification(account.token)).status).toBe(202);
    expect(await settledLinks(account.email)).toHaveLength(1);

    await ageVerificationEmails(account.userId, 3600);
    for (let i = 0; i < 5; i++) {
      const response = await requestVerification(account.token);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({});
    }
    await waitForLinks(account.email, 'verify-email', 2);
    expect(await settledLinks(account.email)).toHaveLength(2);
    expect(await storedVerificationTokens(account.userId)).toBe(2);

    await ageVerificationEmails(account.userId, 61);
    expect((await requestVerification(account.token)).status).toBe(202);
    await ageVerificationEmails(account.userId, 61);
    expect((await requestVerification(account.token)).status).toBe(202);
    await waitForLinks(account.email, 'verify-email', 4);
    await ageVerificationEmails(account.userId, 61);
    // Three in the last hour: the fourth is silently not sent.
    expect((await requestVerification(account.token)).status).toBe(202);
    expect(await settledLinks(account.email)).toHaveLength(4);
    expect(await storedVerificationTokens(account.userId)).toBe(4);
    // An hour later, one goes out again.
    await ageVerificationEmails(account.userId, 3600);
    expect((await requestVerification(account.token)).status).toBe(202);
    await waitForLinks(account.email, 'verify-email', 5);
  });

  it('verify and request: exactly 1 statement each', async () => {
    const account = await signUp();
    const token = await latestLinkToken(account.email, 'verify-email');
    const verified = await countingStatements(
      '/api/auth/verify-email',
      jsonRequest({ token }, { headers: { 'CF-Connecting-IP': freshIp() } }),
    );
    expect(verified.response.status).toBe(204);
    expect(verified.statements).toBe(1);
    const requested = await countingStatements('/api/auth/verify-email/request', {
      method: 'POST',
      headers: { ...bearer(account.token), 'CF-Connecting-IP': freshIp() },
    });
    expect(requested.response.status).toBe(202);
    expect(requested.statements).toBe(1);
  });
});
