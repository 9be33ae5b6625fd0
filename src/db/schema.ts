// The database schema. drizzle-kit generates every migration in drizzle/ from this file.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

// `timestamp` columns of `tasks` hold UTC without a zone (as the pre-accounts app wrote them);
// mode 'string' keeps their microseconds, which keyset pagination needs to be exact.
export const utcNow = sql`(now() at time zone 'utc')`;

export const users = pgTable(
  'users',
  {
    id: varchar('id', { length: 36 }).primaryKey().default(sql`gen_random_uuid()`),
    // Both NULL for a user signed in through a trusted external issuer (see external_identities): the
    // issuer owns the address, and there is no password here. Both set for every account made by signup.
    email: varchar('email', { length: 255 }),
    passwordHash: varchar('password_hash', { length: 60 }),
    // When the address was last proven by a verification link; NULL (unverified) for every row that
    // existed before verification did.
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
    // Bumped by every password change and reset, in the statement that makes it. Each session records
    // the version its signin checked, and is live only while the two match: a signin that verified the
    // old password a moment before the change cannot commit a session that outlives it, even when its
    // row lands after the change's statement looked for sessions to end.
    credentialVersion: integer('credential_version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow()
      .$onUpdate(() => sql`now()`),
  },
  (t) => [
    uniqueIndex('ux_users_email_lower').on(sql`lower(${t.email})`),
    check('ck_users_password_hash_length', sql`char_length(${t.passwordHash}) = 60`),
    // The two kinds of account above, and no third: an address without a password could never sign in,
    // and a password without an address could never be reset.
    check('ck_users_email_with_password', sql`(${t.email} is null) = (${t.passwordHash} is null)`),
  ],
);

/**
 * Users who sign in at a trusted external issuer (TRUSTED_ISSUERS): the issuer's `sub` → our user. The
 * user id is derived from (issuer, subject) (auth/external-tokens.ts), and both rows are created by the
 * first statement that runs for such a token.
 */
export const externalIdentities = pgTable(
  'external_identities',
  {
    issuer: varchar('issuer', { length: 512 }).notNull(),
    subject: varchar('subject', { length: 255 }).notNull(),
    userId: varchar('user_id', { length: 36 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'pk_external_identities', columns: [t.issuer, t.subject] }),
    foreignKey({ name: 'fk_external_identities_user_id', columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      'cascade',
    ),
    uniqueIndex('ux_external_identities_user_id').on(t.userId),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    // 64-bit, from the serial's sequence of the pre-accounts schema (migrations 0005/0006 widened both;
    // the sequence stops at 2^53 - 1 so every id stays exact as a JSON number).
    id: bigint('id', { mode: 'number' }).primaryKey().default(sql`nextval('tasks_id_seq'::regclass)`),
    title: varchar('title', { length: 200 }).notNull(),
    description: varchar('description', { length: 1000 }),
    completed: boolean('completed').notNull().default(false),
    createdAt: timestamp('created_at', { mode: 'string' }).notNull().default(utcNow),
    updatedAt: timestamp('updated_at', { mode: 'string' }).notNull().default(utcNow),
    // Bumped by every change; the task's ETag. (updated_at cannot be: two updates may share a now().)
    version: integer('version').notNull().default(1),
    // NULL for tasks created before accounts existed: kept, but visible to nobody.
    userId: varchar('user_id', { length: 36 }),
  },
  (t) => [
    foreignKey({ name: 'fk_tasks_user_id', columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
    index('ix_tasks_user_id').on(t.userId),
    // Serves "this user's tasks by creation time" in both directions, with id as the keyset tiebreak.
    index('ix_tasks_user_created').on(t.userId, t.createdAt, t.id),
  ],
);

/**
 * Idempotency-Key records for POST /api/tasks: per user, the hash of the request body and a snapshot of
 * the task as first created, so a retry replays the first response even if the task changed since.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: varchar('user_id', { length: 36 }).notNull(),
    key: varchar('key', { length: 255 }).notNull(),
    requestHash: varchar('request_hash', { length: 64 }).notNull(),
    taskId: bigint('task_id', { mode: 'number' }).notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    description: varchar('description', { length: 1000 }),
    completed: boolean('completed').notNull(),
    taskCreatedAt: timestamp('task_created_at', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'pk_idempotency_keys', columns: [t.userId, t.key] }),
    foreignKey({ name: 'fk_idempotency_keys_user_id', columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      'cascade',
    ),
    index('ix_idempotency_keys_created_at').on(t.createdAt),
  ],
);

/**
 * Sign-in sessions. Access tokens name their session (`sid`); every authenticated statement checks that
 * it is live (not revoked, neither end reached). Refresh tokens are stored only as SHA-256 hashes: the
 * current one and the one it replaced, with the rotation time (a replay of the previous one within a
 * few seconds is two tabs racing; later, theft). `next_token_sealed` is the current refresh token
 * encrypted under a key derived from the previous token, so only a holder of that token can get it back.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: varchar('id', { length: 36 }).primaryKey().default(sql`gen_random_uuid()`),
    userId: varchar('user_id', { length: 36 }).notNull(),
    refreshTokenHash: varchar('refresh_token_hash', { length: 64 }).notNull(),
    previousTokenHash: varchar('previous_token_hash', { length: 64 }),
    nextTokenSealed: varchar('next_token_sealed', { length: 200 }),
    rotatedAt: timestamp('rotated_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokedReason: varchar('revoked_reason', { length: 32 }),
    userAgent: varchar('user_agent', { length: 512 }),
    // users.credential_version when the session opened (same statement as the password check); the
    // session is live only while it is still the user's (see auth/caller.ts).
    credentialVersion: integer('credential_version').notNull().default(1),
  },
  (t) => [
    foreignKey({ name: 'fk_sessions_user_id', columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
    uniqueIndex('ux_sessions_refresh_token_hash').on(t.refreshTokenHash),
    index('ix_sessions_previous_token_hash').on(t.previousTokenHash),
    // The sessions list (newest first) and the cascade from users.
    index('ix_sessions_user_created').on(t.userId, t.createdAt),
    // The hourly clean-up finds ended sessions by their ends.
    index('ix_sessions_expires_at').on(t.expiresAt),
    index('ix_sessions_idle_expires_at').on(t.idleExpiresAt),
  ],
);

/**
 * Refresh tokens a session has gone past (older than its previous one), as hashes: presenting one later
 * is a replay of a stolen token, whatever its age, and ends the session. Deleted with their session.
 */
export const retiredRefreshTokens = pgTable(
  'retired_refresh_tokens',
  {
    tokenHash: varchar('token_hash', { length: 64 }).primaryKey(),
    sessionId: varchar('session_id', { length: 36 }).notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'fk_retired_refresh_tokens_session_id',
      columns: [t.sessionId],
      foreignColumns: [sessions.id],
    }).onDelete('cascade'),
    index('ix_retired_refresh_tokens_session_id').on(t.sessionId),
  ],
);

/**
 * Single-use tokens sent by email (password reset, email verification). Only the SHA-256 hash of a
 * token is stored; `email` is the address it was sent to, so a token stops working once the account's
 * address has changed. Rows of deleted accounts go with them (ON DELETE CASCADE).
 */
export const emailTokens = pgTable(
  'email_tokens',
  {
    tokenHash: varchar('token_hash', { length: 64 }).primaryKey(),
    userId: varchar('user_id', { length: 36 }).notNull(),
    purpose: varchar('purpose', { length: 16 }).notNull(),
    email: varchar('email', { length: 255 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    foreignKey({ name: 'fk_email_tokens_user_id', columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      'cascade',
    ),
    check('ck_email_tokens_purpose', sql`${t.purpose} in ('password_reset', 'verify_email')`),
    // "This user's recent reset emails" (the send limits) and the cascade from users.
    index('ix_email_tokens_user_purpose_created').on(t.userId, t.purpose, t.createdAt),
    // The hourly clean-up finds old tokens by their expiry.
    index('ix_email_tokens_expires_at').on(t.expiresAt),
  ],
);

/** The largest task id: the MAXVALUE of tasks_id_seq (migration 0006), 2^53 - 1, exact as a JSON number. */
export const MAX_TASK_ID = Number.MAX_SAFE_INTEGER;

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;
export type EmailTokenRow = typeof emailTokens.$inferSelect;
