// Who a request speaks for: the user and the session named by its access token. Every authenticated
// statement checks, inside itself, that this session is still live; `runAsCaller` wraps a statement
// so that one round trip tells "session ended" (401) apart from "nothing found" (404).
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { sessions } from '../db/schema.ts';
import type { UserId } from './user-id.ts';

export interface Caller {
  userId: UserId;
  sessionId: string;
}

/** The session is the caller's, not revoked, and neither its idle nor its absolute end has passed. */
export function liveSessionCondition(caller: Caller): SQL {
  return sql`exists (select 1 from ${sessions}
    where ${sessions.id} = ${caller.sessionId} and ${sessions.userId} = ${caller.userId}
      and ${sessions.revokedAt} is null and ${sessions.idleExpiresAt} > now() and ${sessions.expiresAt} > now())`;
}

export type AsCaller<T> = { sessionLive: false } | { sessionLive: true; value: T };

/**
 * Runs `statement` (which must put the given `sessionLive` condition in its WHERE) and reports whether
 * the session was live, in the same statement: `with live as (…), result as (statement) select …`.
 * Result rows are keyed by column name; rows without an `id` are the empty side of the join.
 */
/** The statement runAsCaller sends (exposed so tests can EXPLAIN exactly what runs). */
export function asCallerStatement(caller: Caller, statement: (sessionLive: SQL) => SQLWrapper, orderBy?: SQL): SQL {
  return sql`
    with live as (select ${liveSessionCondition(caller)} as alive),
    result as (${statement(sql`(select alive from live)`).getSQL()})
    select live.alive as session_live, result.* from live left join result on true
    ${orderBy ? sql`order by ${orderBy}` : sql``}`;
}

export async function runAsCaller(
  db: Database,
  caller: Caller,
  statement: (sessionLive: SQL) => SQLWrapper,
  orderBy?: SQL,
): Promise<AsCaller<Record<string, unknown>[]>> {
  const { rows } = await db.execute<Record<string, unknown>>(asCallerStatement(caller, statement, orderBy));
  if (rows[0]?.session_live !== true) return { sessionLive: false };
  return { sessionLive: true, value: rows.filter((row) => row.id !== null && row.id !== undefined) };
}
