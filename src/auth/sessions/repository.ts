// Statements on `sessions`: opening one (with signup, signin or a password change, in that same
// statement), rotating refresh tokens, ending sessions, listing them, and the hourly clean-up.
// One statement each; repositories never see HTTP.
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { FOREIGN_KEY_VIOLATION, violated } from '../../db/errors.ts';
import { columnNames } from '../../db/rows.ts';
import { emailTokens, retiredRefreshTokens, sessions, users } from '../../db/schema.ts';
import { changeInBatches, seconds } from '../../db/sql-helpers.ts';
import { insertEmailToken, VERIFY_EMAIL_TTL_SECONDS } from '../accounts/email-tokens.ts';
import { isEmailTaken, type PublicUser, readPublicUser } from '../accounts/repository.ts';
import { type AsCaller, type Caller, liveSessionCondition, runAsCaller, type SessionCaller } from '../caller.ts';

/** A replay of the previous refresh token this soon after its rotation is two tabs racing, not theft. */
export const REFRESH_REUSE_WINDOW_SECONDS = 10;
/**
 * Live sessions one account may have. Opening one more ends the least recently used (refreshed or
 * opened) one in the same statement, so a script signing in in a loop cannot grow the table, or the
 * sessions list, without bound.
 */
export const MAX_LIVE_SESSIONS = 100;

export interface NewSession {
  refreshTokenHash: string;
  userAgent: string | null;
  idleSeconds: number;
  maxSeconds: number;
}

export interface OpenedSession {
  user: PublicUser;
  sessionId: string;
  /** When the session ends unless refreshed (never after its absolute end). */
  endsAt: Date;
}

/**
 * `insert into sessions … select <user>.id, …` for a new session of the user row that `user` (an alias
 * in `from`) names. The session takes that row's credential version, read by the same statement that
 * checks the password hash, so it is live only as long as those credentials are current.
 */
function insertSession(user: SQL, from: SQL, session: NewSession): SQL {
  return sql`insert into ${sessions} (${columnNames(
    sessions.userId,
    sessions.refreshTokenHash,
    sessions.idleExpiresAt,
    sessions.expiresAt,
    sessions.userAgent,
    sessions.credentialVersion,
  )})
    select ${user}.id, ${session.refreshTokenHash},
           least(now() + ${seconds(session.idleSeconds)}, now() + ${seconds(session.maxSeconds)}),
           now() + ${seconds(session.maxSeconds)}, ${session.userAgent}, ${user}.credential_version
      ${from}
    returning id, user_id, idle_expires_at`;
}

/** A `timestamptz` as the driver hands it over (text), as a Date. */
function time(value: unknown): Date {
  return sessions.createdAt.mapFromDriverValue(value as string) as Date;
}

function readOpened(raw: Record<string, unknown>): OpenedSession {
  return {
    user: readPublicUser(raw),
    sessionId: raw.session_id as string,
    endsAt: time(raw.session_ends_at),
  };
}

/**
 * Creates the user, their first session and the token of their verification email together; null when
 * the email is taken.
 */
export async function signupWithSession(
  db: Database,
  email: string,
  passwordHash: string,
  session: NewSession,
  verificationTokenHash: string,
): Promise<OpenedSession | null> {
  try {
    const { rows } = await db.execute<Record<string, unknown>>(sql`
      with new_user as (
        insert into ${users} (${columnNames(users.email, users.passwordHash)}) values (${email}, ${passwordHash})
        returning *),
      new_session as (${insertSession(sql`new_user`, sql`from new_user`, session)}),
      verification as (${insertEmailToken(verificationTokenHash, 'verify_email', VERIFY_EMAIL_TTL_SECONDS, sql`from new_user u`)})
      select new_user.*, new_session.id as session_id, new_session.idle_expires_at as session_ends_at
        from new_user cross join new_session`);
    return readOpened(rows[0]);
  } catch (error) {
    if (isEmailTaken(error)) return null;
    throw error;
  }
}

/**
 * Signin's second statement: a session, only if the hash is still the one just verified; undefined
 * otherwise, and when the account was deleted meanwhile. When the account already has MAX_LIVE_SESSIONS
 * live sessions, the least recently used beyond the newest 99 end (revoked_reason 'session_limit'), in
 * the same statement and only if the new one opens; their ids come back (`endedSessionIds`). (Signup's
 * and the password change's statements open a session that is the account's only live one, so only
 * signin can reach the limit; concurrent signins may pass it briefly, until the next one.) With `rehash`
 * (the stored hash was made at another cost than the configured one), the same statement replaces the
 * hash, on the same condition: after a cost change, accounts move to the new cost as they sign in, so a
 * wrong password costs what an unknown email (compared against a dummy at the configured cost) costs.
 */
export async function openSession(
  db: Database,
  userId: string,
  verifiedHash: string,
  session: NewSession,
  rehash?: string,
): Promise<(OpenedSession & { endedSessionIds: string[] }) | undefined> {
  const verifiedUser = sql`from ${users} u where u.id = ${userId} and u.password_hash = ${verifiedHash}`;
  // Every part of one statement sees the same snapshot: the insert still finds the verified hash.
  const rehashed = rehash
    ? sql`rehashed as (
        update ${users} set password_hash = ${rehash}
         where id = ${userId} and password_hash = ${verifiedHash}
        returning id),`
    : sql``;
  try {
    const { rows } = await db.execute<Record<string, unknown>>(sql`
      with ${rehashed} new_session as (${insertSession(sql`u`, verifiedUser, session)}),
      evicted as (
        update ${sessions} set revoked_at = now(), revoked_reason = 'session_limit'
         where ${sessions.id} in (
           select ${sessions.id} from ${sessions}
            where ${sessions.userId} in (select user_id from new_session) and ${liveSession}
            order by ${sessions.lastUsedAt} desc, ${sessions.createdAt} desc
           offset ${MAX_LIVE_SESSIONS - 1})
        returning ${sessions.id})
      select u.*, s.id as session_id, s.idle_expires_at as session_ends_at,
             array(select id from evicted) as ended_session_ids
        from new_session s join ${users} u on u.id = s.user_id`);
    // The sessions the limit ended: their live sockets are closed by the route.
    return rows[0] && { ...readOpened(rows[0]), endedSessionIds: rows[0].ended_session_ids as string[] };
  } catch (error) {
    // The statement's snapshot still had the user, but a deletion committed before the session row's
    // foreign-key check (which waits for it): the account is gone, as if the password were wrong.
    if (violated(error, FOREIGN_KEY_VIOLATION, ['fk_sessions_user_id'])) return undefined;
    throw error;
  }
}

/**
 * Sets the new hash (if the old one is still the verified one and the session is live) and moves the
 * credential version on, revokes every earlier session of the user, the caller's included, spends the
 * account's outstanding reset links, and opens a new session under the new version: one statement,
 * which also says whether the caller's session was live (401) when nothing changed.
 */
export async function changePasswordAndRestart(
  db: Database,
  caller: Caller,
  verifiedHash: string,
  newHash: string,
  session: NewSession,
): Promise<AsCaller<OpenedSession | undefined>> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    with live as (select ${liveSessionCondition(caller)} as alive),
    updated as (
      update ${users} set password_hash = ${newHash}, credential_version = credential_version + 1, updated_at = now()
       where id = ${caller.userId} and password_hash = ${verifiedHash} and (select alive from live)
      returning *),
    ended as (
      update ${sessions} set revoked_at = now(), revoked_reason = 'password_changed'
       where user_id in (select id from updated) and revoked_at is null
      returning id),
    -- A reset link sent before the change would undo it (set a password the user no longer chose).
    spent as (
      update ${emailTokens} set used_at = now()
       where user_id in (select id from updated) and purpose = 'password_reset' and used_at is null
      returning token_hash),
    new_session as (${insertSession(sql`updated`, sql`from updated`, session)})
    select live.alive as session_live, opened.*
      from live left join (
        select updated.*, new_session.id as session_id, new_session.idle_expires_at as session_ends_at
          from updated cross join new_session) opened on true`);
  const [row] = rows;
  if (row?.session_live !== true) return { sessionLive: false };
  return { sessionLive: true, value: row.id === null || row.id === undefined ? undefined : readOpened(row) };
}

export type Rotation =
  /** The current token: rotated to `next`. */
  | { outcome: 'rotated'; opened: OpenedSession }
  /** The previous token within the reuse window: the token it was rotated to, sealed under it. */
  | { outcome: 'raced'; opened: OpenedSession; sealedNext: string | null }
  /** The previous token after the window, or an older one: the session has just been revoked. */
  | { outcome: 'reused'; userId: string; sessionId: string };

/**
 * One refresh, decided by one statement: an UPDATE on the session whose current or previous token hash
 * matches (and, for an older token of the session, the revocation of that session).
 * Concurrent refreshes of one session serialize on its row: the second re-reads the row as the first
 * left it (PostgreSQL re-checks an UPDATE's WHERE on the newest version), so it sees its token as the
 * previous one, within the window. Ended sessions match nothing (undefined → 401).
 */
export async function rotateRefreshToken(
  db: Database,
  presentedHash: string,
  next: { hash: string; sealed: string },
  idleSeconds: number,
): Promise<Rotation | undefined> {
  const isCurrent = sql`s.refresh_token_hash = ${presentedHash}`;
  const window = seconds(REFRESH_REUSE_WINDOW_SECONDS);
  const isStale = sql`s.refresh_token_hash <> ${presentedHash} and s.rotated_at <= now() - ${window}`;
  // One statement: the token it replaces moves to the retired list when the current token rotates; a
  // retired token presented after the window ends its session (a thief who refreshed twice cannot keep
  // the session by outrunning the owner); otherwise the session's own row decides, as described above.
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    with before as (
      select id, previous_token_hash from ${sessions} where refresh_token_hash = ${presentedHash}),
    retire as (
      insert into ${retiredRefreshTokens} (${columnNames(retiredRefreshTokens.tokenHash, retiredRefreshTokens.sessionId)})
      select previous_token_hash, id from before where previous_token_hash is not null
      on conflict do nothing),
    replayed as (
      update ${sessions} s set revoked_at = now(), revoked_reason = 'refresh_token_reused'
        from ${retiredRefreshTokens} r
       where r.token_hash = ${presentedHash} and s.id = r.session_id and s.revoked_at is null
         and r.retired_at <= now() - ${window}
      returning s.id as replayed, s.user_id as replayed_user),
    rotated as (
      update ${sessions} s set
        refresh_token_hash = case when ${isCurrent} then ${next.hash} else s.refresh_token_hash end,
        previous_token_hash = case when ${isCurrent} then ${presentedHash} else s.previous_token_hash end,
        next_token_sealed = case when ${isCurrent} then ${next.sealed} else s.next_token_sealed end,
        rotated_at = case when ${isCurrent} then now() else s.rotated_at end,
        last_used_at = now(),
        idle_expires_at = least(now() + ${seconds(idleSeconds)}, s.expires_at),
        revoked_at = case when ${isStale} then now() end,
        revoked_reason = case when ${isStale} then 'refresh_token_reused' end
      from ${users} u
      where u.id = s.user_id and s.credential_version = u.credential_version
        and (s.refresh_token_hash = ${presentedHash} or s.previous_token_hash = ${presentedHash})
        and s.revoked_at is null and s.idle_expires_at > now() and s.expires_at > now()
      returning u.*, s.id as session_id, s.idle_expires_at as session_ends_at, s.refresh_token_hash as current_hash,
                s.next_token_sealed as sealed_next, s.revoked_at is not null as revoked)
    select replayed.*, rotated.* from (select 1) one left join rotated on true left join replayed on true`);
  const row = rows[0];
  if (!row || row.session_id === null || row.session_id === undefined) {
    return row?.replayed
      ? { outcome: 'reused', userId: row.replayed_user as string, sessionId: row.replayed as string }
      : undefined;
  }
  if (row.revoked === true) return { outcome: 'reused', userId: row.id as string, sessionId: row.session_id as string };
  if (row.current_hash === next.hash) return { outcome: 'rotated', opened: readOpened(row) };
  return { outcome: 'raced', opened: readOpened(row), sealedNext: (row.sealed_next as string | null) ?? null };
}

/** For statements on `sessions` itself: the row is a live session (as liveSessionCondition defines it). */
const liveSession = sql`${sessions.revokedAt} is null and ${sessions.idleExpiresAt} > now() and ${sessions.expiresAt} > now()
  and ${sessions.credentialVersion} = (select u.credential_version from ${users} u where u.id = ${sessions.userId})`;

/** Ends the caller's session; false when it had already ended. */
export async function endSession(db: Database, caller: SessionCaller): Promise<boolean> {
  const { rows } = await db.execute(sql`
    update ${sessions} set revoked_at = now(), revoked_reason = 'signed_out'
     where id = ${caller.sessionId} and user_id = ${caller.userId} and ${liveSession}
    returning id`);
  return rows.length === 1;
}

/** Ends every session of the caller's user; false when the caller's own session had already ended. */
export async function endAllSessions(db: Database, caller: SessionCaller): Promise<boolean> {
  const { rows } = await db.execute(sql`
    update ${sessions} set revoked_at = now(), revoked_reason = 'signed_out_everywhere'
     where user_id = ${caller.userId} and revoked_at is null and ${liveSessionCondition(caller)}
    returning id`);
  return rows.length > 0;
}

export interface SessionSummary {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  endsAt: Date;
  userAgent: string | null;
}

/** The caller's user's live sessions, newest first (at most MAX_LIVE_SESSIONS, the newest). */
export async function listSessions(db: Database, caller: Caller): Promise<AsCaller<SessionSummary[]>> {
  const result = await runAsCaller(
    db,
    caller,
    (live) => sql`
      select id, created_at, last_used_at, idle_expires_at, user_agent from ${sessions}
       where user_id = ${caller.userId} and ${liveSession} and ${live}
       order by created_at desc, id limit ${MAX_LIVE_SESSIONS}`,
    sql`result.created_at desc, result.id`,
  );
  if (!result.sessionLive) return result;
  return {
    sessionLive: true,
    value: result.value.map((row) => ({
      id: row.id as string,
      createdAt: time(row.created_at),
      lastUsedAt: time(row.last_used_at),
      endsAt: time(row.idle_expires_at),
      userAgent: (row.user_agent as string | null) ?? null,
    })),
  };
}

/** Ends one live session of the caller's user; false when there is no such session. */
export async function endSessionById(db: Database, caller: Caller, id: string): Promise<AsCaller<boolean>> {
  const result = await runAsCaller(
    db,
    caller,
    (live) => sql`
      update ${sessions} set revoked_at = now(), revoked_reason = 'revoked'
       where id = ${id} and user_id = ${caller.userId} and ${liveSession} and ${live}
      returning id`,
  );
  return result.sessionLive ? { sessionLive: true, value: result.value.length === 1 } : result;
}

/** Deletes ended sessions (revoked, or past an end), in batches; returns how many. */
export function deleteEndedSessions(db: Database, batchSize?: number, maxBatches?: number): Promise<number> {
  const ended = sql`${sessions.revokedAt} is not null or ${sessions.idleExpiresAt} <= now() or ${sessions.expiresAt} <= now()`;
  return changeInBatches(db, sessions, sessions.id, ended, 'delete', batchSize, maxBatches);
}

/**
 * Clears the sealed copy of each current refresh token once its reuse window has passed: after that no
 * racing tab may be given it, so the row need not hold it. Returns how many were cleared.
 */
export function clearSealedTokens(db: Database, batchSize?: number, maxBatches?: number): Promise<number> {
  const spent = sql`${sessions.nextTokenSealed} is not null and ${sessions.rotatedAt} <= now() - ${seconds(REFRESH_REUSE_WINDOW_SECONDS)}`;
  return changeInBatches(db, sessions, sessions.id, spent, sql`next_token_sealed = null`, batchSize, maxBatches);
}
