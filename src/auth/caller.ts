// Who a request speaks for: the user and the session named by its access token. Every authenticated
// statement checks, inside itself, that this session is still live; `runAsCaller` wraps a statement
// so that one round trip tells "session ended" (401) apart from "nothing found" (404).
// A token from a trusted external issuer names no session of ours: its signature and `exp` are all
// there is to check, and its user row is created by the first statement that runs for it.
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { parameter, type StatementValues } from '../db/prepared.ts';
import { externalIdentities, sessions, users } from '../db/schema.ts';
import { toUserId, type UserId } from './user-id.ts';

/** Signed in here: the access token names one of our sessions. */
export interface SessionCaller {
  userId: UserId;
  sessionId: string;
  external?: undefined;
}

/** Signed in at a trusted external issuer (TRUSTED_ISSUERS): no session of ours, no password. */
export interface ExternalCaller {
  userId: UserId;
  sessionId?: undefined;
  external: { issuer: string; subject: string };
}

export type Caller = SessionCaller | ExternalCaller;

/**
 * The session is the caller's, not revoked, neither its idle nor its absolute end has passed, and it
 * was opened under the user's current credentials (its credential version is still the user's: a
 * password change or reset ends every session opened before it, even one whose row was written after
 * the change's statement looked for sessions to revoke).
 * Always true for an external caller (the issuer ends its sessions; its tokens live minutes).
 */
export function liveSessionCondition(caller: Caller): SQL {
  if (caller.external) return sql`true`;
  return sql`exists (select 1 from ${sessions} s join ${users} u on u.id = s.user_id
    where s.id = ${caller.sessionId} and s.user_id = ${caller.userId}
      and s.revoked_at is null and s.idle_expires_at > now() and s.expires_at > now()
      and s.credential_version = u.credential_version)`;
}

/**
 * Common table expressions (each followed by a comma) that create an external caller's user and
 * identity rows on first use, inside the statement that serves the request; `on conflict do nothing`
 * makes them no-ops afterwards and race-free (the user id is derived from issuer and subject). Empty
 * for a caller signed in here.
 */
export function externalAccountSetup(caller: Caller): SQL {
  if (!caller.external) return sql``;
  const { issuer, subject } = caller.external;
  return sql`external_user as (
      insert into ${users} (id) values (${caller.userId}) on conflict (id) do nothing returning *),
    external_identity as (
      insert into ${externalIdentities} (issuer, subject, user_id) values (${issuer}, ${subject}, ${caller.userId})
      on conflict (issuer, subject) do nothing),
    `;
}

/** All a prepared statement's text depends on about its caller (db/prepared.ts): the rest are values. */
export type CallerKind = 'session' | 'external';

export function callerKind(caller: Caller): CallerKind {
  return caller.external ? 'external' : 'session';
}

/** A caller of that kind as placeholders, whose values come from `callerValues(caller)`. */
export function callerTemplate(kind: CallerKind): Caller {
  const userId = parameter<UserId>('userId');
  if (kind === 'session') return { userId, sessionId: parameter<string>('sessionId') };
  return { userId, external: { issuer: parameter<string>('issuer'), subject: parameter<string>('subject') } };
}

/** The placeholders' values. The user id is checked here, where a template's owner filter gets it. */
export function callerValues(caller: Caller): StatementValues {
  const userId = toUserId(caller.userId);
  if (!caller.external) return { userId, sessionId: caller.sessionId };
  return { userId, issuer: caller.external.issuer, subject: caller.external.subject };
}

export type AsCaller<T> = { sessionLive: false } | { sessionLive: true; value: T };

/**
 * `statement` (which must put the given `sessionLive` condition in its WHERE) with whether the session
 * was live, in the same statement: `with live as (…), result as (statement) select …`. Result rows are
 * keyed by column name; rows without an `id` are the empty side of the join (asCallerRows).
 */
export function asCallerStatement(caller: Caller, statement: (sessionLive: SQL) => SQLWrapper, orderBy?: SQL): SQL {
  return sql`
    with ${externalAccountSetup(caller)}live as (select ${liveSessionCondition(caller)} as alive),
    result as (${statement(sql`(select alive from live)`).getSQL()})
    select live.alive as session_live, result.* from live left join result on true
    ${orderBy ? sql`order by ${orderBy}` : sql``}`;
}

/** Runs asCallerStatement and reports whether the session was live, and the statement's rows. */
export async function runAsCaller(
  db: Database,
  caller: Caller,
  statement: (sessionLive: SQL) => SQLWrapper,
  orderBy?: SQL,
): Promise<AsCaller<Record<string, unknown>[]>> {
  const { rows } = await db.execute<Record<string, unknown>>(asCallerStatement(caller, statement, orderBy));
  return asCallerRows(rows);
}

/** The rows of an asCallerStatement: whether the session was live, and the statement's own rows. */
export function asCallerRows(rows: Record<string, unknown>[]): AsCaller<Record<string, unknown>[]> {
  if (rows[0]?.session_live !== true) return { sessionLive: false };
  return { sessionLive: true, value: rows.filter((row) => row.id !== null && row.id !== undefined) };
}
