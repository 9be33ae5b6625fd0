// Tokens sent by email (password reset, email verification): 256 random bits, base64url, stored only as
// SHA-256 hashes, single use. Each route's work is one statement; repositories never see HTTP.
import { type SQL, sql } from 'drizzle-orm';
import { base64url } from 'jose';
import type { Database } from '../../db/client.ts';
import { columnNames } from '../../db/rows.ts';
import { emailTokens, sessions, users } from '../../db/schema.ts';
import { changeInBatches, seconds } from '../../db/sql-helpers.ts';
import { sha256Hex } from '../../lib/digest.ts';
import { type Caller, liveSessionCondition } from '../caller.ts';

const TOKEN_BYTES = 32;
export const PASSWORD_RESET_TTL_SECONDS = 30 * 60;
export const VERIFY_EMAIL_TTL_SECONDS = 24 * 3600;
/**
 * An email of either purpose (reset, verification) goes out only if the account's previous one of that
 * purpose is at least this old…
 */
export const EMAIL_INTERVAL_SECONDS = 60;
/** …and fewer than this many of that purpose went out in the last hour. */
export const EMAILS_PER_HOUR = 3;

export type EmailTokenPurpose = 'password_reset' | 'verify_email';

export interface NewEmailToken {
  token: string;
  hash: string;
}

export async function newEmailToken(): Promise<NewEmailToken> {
  const token = base64url.encode(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
  return { token, hash: await hashEmailToken(token) };
}

export function hashEmailToken(token: string): Promise<string> {
  return sha256Hex(token);
}

/**
 * The send limit, as a condition on the user row `u`: its last email of `purpose` is at least 60 s old
 * and fewer than 3 went out in the last hour. Evaluated by the statement that stores the token, so
 * requests in sequence each see the ones before; requests that overlap may each pass it, within the
 * per-network limit of the route.
 */
function dueAnotherEmail(purpose: EmailTokenPurpose): SQL {
  const recent = (interval: number) => sql`select count(*) from ${emailTokens} t
     where t.user_id = u.id and t.purpose = ${purpose} and t.created_at > now() - ${seconds(interval)}`;
  return sql`(${recent(EMAIL_INTERVAL_SECONDS)}) = 0 and (${recent(3600)}) < ${EMAILS_PER_HOUR}`;
}

/** `insert into email_tokens … select <hash>, u.id, <purpose>, u.email, <expiry> <from>`. */
export function insertEmailToken(hash: string, purpose: EmailTokenPurpose, ttlSeconds: number, from: SQL): SQL {
  return sql`insert into ${emailTokens} (${columnNames(
    emailTokens.tokenHash,
    emailTokens.userId,
    emailTokens.purpose,
    emailTokens.email,
    emailTokens.expiresAt,
  )})
    select ${hash}, u.id, ${purpose}, u.email, now() + ${seconds(ttlSeconds)} ${from}`;
}

/**
 * The password-reset request, the same single statement whether or not the address has an account:
 * a token is stored only for an existing account whose last reset email is at least 60 s old and that
 * had fewer than 3 in the last hour. Returns the address to send it to, or undefined (send nothing).
 */
export async function createPasswordResetToken(
  db: Database,
  normalizedEmail: string,
  hash: string,
): Promise<string | undefined> {
  const { rows } = await db.execute<{ email: string }>(sql`
    ${insertEmailToken(
      hash,
      'password_reset',
      PASSWORD_RESET_TTL_SECONDS,
      sql`from ${users} u where lower(u.email) = ${normalizedEmail} and ${dueAnotherEmail('password_reset')}`,
    )}
    returning email`);
  return rows[0]?.email;
}

/**
 * Uses up a token of `purpose`: only if it is unused, unexpired, and its account's email is still the
 * address it was sent to. Concurrent uses serialize on the token's row; the second finds it used.
 */
function useToken(hash: string, purpose: EmailTokenPurpose) {
  return sql`update ${emailTokens} t set used_at = now()
      from ${users} u
     where t.token_hash = ${hash} and t.purpose = ${purpose} and t.used_at is null and t.expires_at > now()
       and u.id = t.user_id and lower(u.email) = lower(t.email)
    returning t.user_id`;
}

/**
 * The reset: uses the token up (and the account's other reset tokens), sets the new hash, moves the
 * credential version on (so no session opened before it stays live) and revokes every session of the
 * account, in one statement. The address is marked verified too: the link proved that the user reads it.
 * Returns the user's id, or undefined when the token is not (or no longer) good.
 */
export async function resetPasswordWithToken(
  db: Database,
  hash: string,
  newPasswordHash: string,
): Promise<{ userId: string; sessionsEnded: number } | undefined> {
  const { rows } = await db.execute<{ id: string; ended: string | number }>(sql`
    with used as (${useToken(hash, 'password_reset')}),
    updated as (
      update ${users} set password_hash = ${newPasswordHash}, credential_version = credential_version + 1,
             updated_at = now(),
             email_verified_at = coalesce(email_verified_at, now())
       where id in (select user_id from used)
      returning id),
    ended as (
      update ${sessions} set revoked_at = now(), revoked_reason = 'password_reset'
       where user_id in (select id from updated) and revoked_at is null
      returning id),
    -- Other reset links of the account, sent earlier, stop working too.
    spent as (
      update ${emailTokens} set used_at = now()
       where user_id in (select id from updated) and purpose = 'password_reset' and used_at is null
         and token_hash <> ${hash}
      returning token_hash)
    select updated.id, (select count(*) from ended) as ended from updated`);
  const row = rows[0];
  return row && { userId: row.id, sessionsEnded: Number(row.ended) };
}

/** Verification: uses the token up and marks the address verified; undefined when the token is not good. */
export async function verifyEmailWithToken(db: Database, hash: string): Promise<string | undefined> {
  const { rows } = await db.execute<{ id: string }>(sql`
    with used as (${useToken(hash, 'verify_email')})
    update ${users} set email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
     where id in (select user_id from used)
    returning id`);
  return rows[0]?.id;
}

/**
 * A verification token for the caller's current address, only while their session is live and only if
 * the account is due another verification email (the same limit as reset emails; signup's email counts).
 * One statement. Returns undefined when the session has ended; otherwise `sendTo`, the address, or null
 * when no email is due.
 */
export async function createVerificationToken(
  db: Database,
  caller: Caller,
  hash: string,
): Promise<{ sendTo: string | null } | undefined> {
  const { rows } = await db.execute<{ id: string; email: string | null }>(sql`
    with caller as (select u.id from ${users} u where u.id = ${caller.userId} and ${liveSessionCondition(caller)}),
    issued as (${insertEmailToken(
      hash,
      'verify_email',
      VERIFY_EMAIL_TTL_SECONDS,
      sql`from ${users} u where u.id in (select id from caller) and ${dueAnotherEmail('verify_email')}`,
    )}
      returning email)
    select caller.id, issued.email from caller left join issued on true`);
  return rows[0] && { sendTo: rows[0].email };
}

/** Deletes tokens that expired over a day ago (used or not), in batches; returns how many. */
export function deleteExpiredEmailTokens(db: Database, batchSize?: number, maxBatches?: number): Promise<number> {
  const expired = sql`${emailTokens.expiresAt} < now() - interval '1 day'`;
  return changeInBatches(db, emailTokens, emailTokens.tokenHash, expired, 'delete', batchSize, maxBatches);
}
