// Queries on `users`: one statement each. Repositories never see HTTP.
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { constraintName, sqlState } from '../db/errors.ts';
import { type UserRow, users } from '../db/schema.ts';

const UNIQUE_VIOLATION = '23505';

export type PublicUser = Omit<UserRow, 'passwordHash'>;
const publicColumns = { id: users.id, email: users.email, createdAt: users.createdAt, updatedAt: users.updatedAt };

/** Inserts a user; `null` when the (lower-cased) email is taken — decided by the unique index. */
export async function insertUser(db: Database, email: string, passwordHash: string): Promise<PublicUser | null> {
  try {
    const [user] = await db.insert(users).values({ email, passwordHash }).returning(publicColumns);
    return user;
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION && constraintName(error) === 'ux_users_email_lower') return null;
    throw error;
  }
}

/** The signin lookup, through the unique index on lower(email). */
export async function findUserWithHashByEmail(db: Database, normalizedEmail: string): Promise<UserRow | undefined> {
  // Postgres text cannot hold U+0000, so no stored email has one (and the query would fail).
  if (normalizedEmail.includes('\u0000')) return undefined;
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, normalizedEmail))
    .limit(1);
  return user;
}

export async function findUserWithHashById(db: Database, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function findUserById(db: Database, id: string): Promise<PublicUser | undefined> {
  const [user] = await db.select(publicColumns).from(users).where(eq(users.id, id)).limit(1);
  return user;
}

/**
 * Replaces the hash only if it is still the one the caller verified: a concurrent change in between
 * wins, and this one reports `undefined` instead of silently overwriting it.
 */
export async function replacePasswordHash(
  db: Database,
  id: string,
  verifiedHash: string,
  newHash: string,
): Promise<PublicUser | undefined> {
  const [user] = await db
    .update(users)
    .set({ passwordHash: newHash })
    .where(and(eq(users.id, id), eq(users.passwordHash, verifiedHash)))
    .returning(publicColumns);
  return user;
}

/** Deletes the user; ON DELETE CASCADE removes exactly their tasks in the same statement. */
export async function deleteUser(db: Database, id: string, verifiedHash: string): Promise<boolean> {
  const deleted = await db
    .delete(users)
    .where(and(eq(users.id, id), eq(users.passwordHash, verifiedHash)))
    .returning({ id: users.id });
  return deleted.length === 1;
}
