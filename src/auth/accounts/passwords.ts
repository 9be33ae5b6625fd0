// Password hashing with bcrypt (bcryptjs). bcrypt reads only the first 72 bytes of a password, so
// longer passwords are refused at signup and never match at signin, instead of being silently cut.
import { compare as bcryptCompare, hash as bcryptHash } from 'bcryptjs';

/**
 * The two bcryptjs functions the Worker uses, imported by name: bcryptjs's default export is an object
 * holding all of its functions, which the bundler would keep (~0.3 KiB gzip). They are called through
 * this object so that a test can make one fail (vi.spyOn).
 */
export const bcrypt = { hash: bcryptHash, compare: bcryptCompare };

export const MIN_PASSWORD_CODE_POINTS = 8;
export const MAX_PASSWORD_BYTES = 72;

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function codePointLength(text: string): number {
  return [...text].length;
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

// A real hash of a random password per cost, compared against when there is no user to check, so
// that "unknown email" costs the same bcrypt work as "wrong password". The deployed cost's dummy is
// precomputed (of a random, discarded password), so no isolate pays for making it on a signin.
const dummyHashes = new Map<number, Promise<string>>([
  [12, Promise.resolve('$2b$12$sw5azWxaxrSCWRZa8yzPy.Ha/oaQASBzatS.kRbxNrue/XOK7Uj5O')],
]);
function dummyHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = bcrypt.hash(crypto.randomUUID(), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

let comparisons = 0;
/** How many bcrypt comparisons this isolate has made: lets tests prove "one compare per signin, none when limited". */
export function bcryptComparisons(): number {
  return comparisons;
}

/** The cost a stored hash was made with (undefined if it is not a bcrypt hash). */
export function hashCost(hash: string): number | undefined {
  const match = /^\$2[aby]\$(\d\d)\$/.exec(hash);
  return match ? Number(match[1]) : undefined;
}

/**
 * Exactly one bcrypt comparison, whatever the inputs: against `hash` when there is one, otherwise
 * against a dummy of the same cost. A password over 72 bytes never matches.
 */
export async function verifyPassword(password: string, hash: string | undefined, cost: number): Promise<boolean> {
  const candidate = hash ?? (await dummyHash(cost));
  comparisons += 1;
  const matches = await bcrypt.compare(password, candidate);
  return matches && hash !== undefined && utf8Length(password) <= MAX_PASSWORD_BYTES;
}
