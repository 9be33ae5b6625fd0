// Queries on `users`, each one statement that also checks the caller's session where there is one.
// Repositories never see HTTP.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { UNIQUE_VIOLATION, violated } from '../../db/errors.ts';
import { rowReader } from '../../db/rows.ts';
import { type UserRow, users } from '../../db/schema.ts';
import {
  type AsCaller,
  type Caller,
  type ExternalCaller,
  externalAccountSetup,
  liveSessionCondition,
  runAsCaller,
} from '../caller.ts';

export type PublicUser = Omit<UserRow, 'passwordHash' | 'credentialVersion'>;
/** A user who signs in here with a password (every user but those of external issuers). */
export type PasswordUser = UserRow & { email: string; passwordHash: string };
const publicColumns = {
  id: users.id,
  email: users.email,
  emailVerifiedAt: users.emailVerifiedAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};
const readUser = rowReader(users);

/** A user row as Postgres names its columns, without the hash. */
export function readPublicUser(raw: Record<string, unknown>): PublicUser {
  const { passwordHash: _, credentialVersion: __, ...user } = readUser(raw);
  return user;
}

export function isEmailTaken(error: unknown): boolean {
  return violated(error, UNIQUE_VIOLATION, ['ux_users_email_lower']);
}

/** The signin lookup, through the unique index on lower(email). */
export async function findUserWithHashByEmail(
  db: Database,
  normalizedEmail: string,
): Promise<PasswordUser | undefined> {
  // Postgres text cannot hold U+0000, so no stored email has one (and the query would fail).
  if (normalizedEmail.includes('\u0000')) return undefined;
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, normalizedEmail), isNotNull(users.passwordHash)))
    .limit(1);
  return user as PasswordUser | undefined;
}

/** The caller's user with its hash, for a password check; undefined when the session is over. */
export async function findCallerWithHash(db: Database, caller: Caller): Promise<PasswordUser | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, caller.userId), isNotNull(users.passwordHash), liveSessionCondition(caller)))
    .limit(1);
  return user as PasswordUser | undefined;
}

/**
 * The caller's user; undefined when the session is over (or the account is gone). An external caller's
 * user is created on first use, by the first statement (see createExternalUser); the plain lookup below
 * serves everyone else, and an external caller whose row that statement could not see.
 */
export async function findCaller(db: Database, caller: Caller): Promise<PublicUser | undefined> {
  if (caller.external) {
    const user = await createExternalUser(db, caller);
    if (user) return user;
  }
  const [user] = await db
    .select(publicColumns)
    .from(users)
    .where(and(eq(users.id, caller.userId), liveSessionCondition(caller)))
    .limit(1);
  return user;
}

/**
 * An external caller's user, created if missing, in one statement: the row just inserted or the one that
 * already existed. Only when a concurrent first request created it after this statement began is
 * neither visible (undefined; findCaller then looks again, a rare second statement).
 */
async function createExternalUser(db: Database, caller: ExternalCaller): Promise<PublicUser | undefined> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    with ${externalAccountSetup(caller)}existing as (select * from ${users} where ${users.id} = ${caller.userId})
    select * from external_user union all select * from existing`);
  return rows[0] ? readPublicUser(rows[0]) : undefined;
}

/**
 * Deletes the caller's account if the hash is still the one verified and the session is live;
 * ON DELETE CASCADE removes its tasks, sessions and idempotency records in the same statement.
 */
export async function deleteUser(db: Database, caller: Caller, verifiedHash: string): Promise<AsCaller<boolean>> {
  const result = await runAsCaller(db, caller, (live) =>
    db
      .delete(users)
      .where(and(eq(users.id, caller.userId), eq(users.passwordHash, verifiedHash), live))
      .returning({ id: users.id }),
  );
  return result.sessionLive ? { sessionLive: true, value: result.value.length === 1 } : result;
}
