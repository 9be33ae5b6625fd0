// Telling "the database is unreachable" (503, retry) apart from bugs (500).

// SQLSTATE classes/codes that mean the server is not available rather than the query being wrong.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300|53000)$/;
const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|timeout|timed out|terminated|Connection terminated|WebSocket|socket|network|fetch failed|closed/i;

function* causes(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; current && depth < 8; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const cause of causes(error)) {
    if (typeof cause !== 'object' || cause === null) continue;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_SQLSTATE.test(code);
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
    // An ErrorEvent from a failed WebSocket carries no code: the driver could not reach the server.
    if (typeof (cause as { type?: unknown }).type === 'string' && (cause as { type: string }).type === 'error')
      return true;
    const message = (cause as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  }
  return false;
}

/** The SQLSTATE of a Postgres error anywhere in the cause chain (drizzle wraps driver errors). */
export function sqlState(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    const code = (cause as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function constraintName(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    const constraint = (cause as { constraint?: unknown } | null)?.constraint;
    if (typeof constraint === 'string') return constraint;
  }
  return undefined;
}
