// A session that ends between a password check and its write (a sign-out racing a password change or
// an account deletion) is told apart from a password that changed meanwhile: 401 UNAUTHENTICATED, not
// INVALID_CREDENTIALS. Driven at the statement level, where the race can be set up deterministically.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deleteUser } from '../../../src/auth/accounts/repository.ts';
import { changePasswordAndRestart } from '../../../src/auth/sessions/repository.ts';
import { toUserId } from '../../../src/auth/user-id.ts';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/db/client.ts';
import { queryDatabase } from '../support/api.ts';
import { signUp } from '../support/auth.ts';

const newSession = { refreshTokenHash: 'f'.repeat(64), userAgent: null, idleSeconds: 60, maxSeconds: 120 };

async function setUp() {
  const user = await signUp();
  const [{ password_hash: hash }] = await queryDatabase<{ password_hash: string }>(
    'select password_hash from users where id = $1',
    [user.userId],
  );
  const caller = { userId: toUserId(user.userId), sessionId: user.sessionId };
  return { user, hash, caller, db: createDatabase(loadConfig(env as Bindings)) };
}

describe('the write after a password check', () => {
  it('password change: an ended session → sessionLive false; a changed hash → live, nothing written', async () => {
    const { hash, caller, db } = await setUp();
    const stale = await changePasswordAndRestart(db, caller, 'x'.repeat(60), hash, {
      ...newSession,
      refreshTokenHash: crypto.randomUUID().replaceAll('-', '').repeat(2),
    });
    expect(stale).toEqual({ sessionLive: true, value: undefined });
    await queryDatabase('update sessions set revoked_at = now() where id = $1', [caller.sessionId]);
    const ended = await changePasswordAndRestart(db, caller, hash, hash, newSession);
    expect(ended).toEqual({ sessionLive: false });
    expect(
      await queryDatabase('select 1 from sessions where refresh_token_hash = $1', [newSession.refreshTokenHash]),
    ).toEqual([]);
  });

  it('account deletion: an ended session → sessionLive false and the account stays', async () => {
    const { user, hash, caller, db } = await setUp();
    expect(await deleteUser(db, caller, 'x'.repeat(60))).toEqual({ sessionLive: true, value: false });
    await queryDatabase('update sessions set revoked_at = now() where id = $1', [caller.sessionId]);
    expect(await deleteUser(db, caller, hash)).toEqual({ sessionLive: false });
    expect(await queryDatabase('select 1 from users where id = $1', [user.userId])).toHaveLength(1);
  });
});
