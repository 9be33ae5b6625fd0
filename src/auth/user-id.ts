// The id of a user, as the access token names it and every owner filter uses it. A UserId can only be
// made from a well-formed id, so a query cannot be given a missing or malformed owner by mistake.
declare const userIdBrand: unique symbol;
export type UserId = string & { readonly [userIdBrand]: true };

/** A user id as Postgres' gen_random_uuid() writes it (lower-case). */
export const USER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUserId(value: unknown): value is UserId {
  return typeof value === 'string' && USER_ID_PATTERN.test(value);
}

/** The id as a UserId; throws for anything else (a programming error, never user input). */
export function toUserId(value: string): UserId {
  if (!isUserId(value)) throw new TypeError('a user id must be a lower-case UUID');
  return value;
}
