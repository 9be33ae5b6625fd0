// Telling "the database is unreachable" (503, retry) apart from bugs (500), and the SQLSTATEs that
// concurrent requests can meet and the routes map to their statuses.
import { NeonDbError } from '@neondatabase/serverless';

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

// SQLSTATE classes/codes that mean the server is not available rather than the query being wrong.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300|53000)$/;
const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|timeout|timed out|terminated|Connection terminated|socket|network|fetch failed|closed/i;

/**
 * The error and what it wraps: Drizzle puts the driver's error in `cause`; the HTTP driver's NeonDbError
 * puts the failed fetch's error in `sourceError` (in workerd a refused connection reads "Error
 * connecting to database: … Network connection lost." and only `sourceError` holds the original).
 */
function* causes(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; current && depth < 8; depth++) {
    yield current;
    const { cause, sourceError } = current as { cause?: unknown; sourceError?: unknown };
    current = cause ?? sourceError;
  }
}

/**
 * The HTTP driver could not complete its request to the proxy: the network failed, our timeout fired, or
 * the proxy answered 408/429/5xx (thrown by our fetch, see db/client.ts). Told by the error's structure.
 */
function isFailedDatabaseFetch(error: unknown): boolean {
  for (const cause of causes(error)) {
    if (cause instanceof NeonDbError && cause.sourceError !== undefined) return true;
  }
  return false;
}

/**
 * A Postgres error decides by its SQLSTATE. Otherwise only the innermost cause is looked at: the
 * driver's or socket's own error. Outer wrappers (Drizzle's) embed the SQL and its parameters, i.e.
 * user input, so their messages must never decide anything.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state) return UNAVAILABLE_SQLSTATE.test(state);
  if (isFailedDatabaseFetch(error)) return true;
  let innermost: unknown;
  for (const cause of causes(error)) innermost = cause;
  if (typeof innermost !== 'object' || innermost === null) return false;
  const { code, message } = innermost as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

/** The SQLSTATE of a Postgres error anywhere in the cause chain (drizzle wraps driver errors). */
export function sqlState(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    const code = (cause as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function constraintName(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    const constraint = (cause as { constraint?: unknown } | null)?.constraint;
    if (typeof constraint === 'string') return constraint;
  }
  return undefined;
}

/** The statement broke one of these constraints with this SQLSTATE (e.g. FOREIGN_KEY_VIOLATION). */
export function violated(error: unknown, state: string, constraints: readonly string[]): boolean {
  const constraint = constraintName(error);
  return sqlState(error) === state && constraint !== undefined && constraints.includes(constraint);
}
