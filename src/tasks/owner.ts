// The owner of every task query. An OwnerId can only be made from a well-formed user id, and every
// repository function requires one, so a query without the owner filter cannot be written by mistake
// (Drizzle's and() would silently drop an `undefined` condition; ownerCondition refuses instead).
import { eq, type SQL } from 'drizzle-orm';
import { tasks } from '../db/schema.ts';

declare const ownerBrand: unique symbol;
export type OwnerId = string & { readonly [ownerBrand]: true };

/** A user id as Postgres' gen_random_uuid() writes it (lower-case). */
export const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function ownerId(userId: string): OwnerId {
  if (typeof userId !== 'string' || !USER_ID.test(userId)) throw new TypeError('task owner must be a user id (UUID)');
  return userId as OwnerId;
}

/** `tasks.user_id = owner`, checked again at run time for callers that bypass the type. */
export function ownerCondition(owner: OwnerId): SQL {
  if (typeof owner !== 'string' || !USER_ID.test(owner)) throw new TypeError('task owner must be a user id (UUID)');
  return eq(tasks.userId, owner);
}
