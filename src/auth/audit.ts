// Security log lines for authentication outcomes: who (user id, or a keyed hash of the email), from
// where, which request. Never a password, token or email in clear.
import type { Config } from '../config.ts';
import { clientIp } from '../http/network.ts';
import { keyedHash } from '../lib/keyed-hash.ts';
import { logEvent } from '../lib/log.ts';

/**
 * 16 bytes of an HMAC of the email under a key derived from the secret (its own key, not the rate
 * limiter's): enough to correlate log lines, and not reversible by hashing a list of known addresses
 * without the secret.
 */
export function auditEmailHash(normalizedEmail: string, config: Config): Promise<string> {
  return keyedHash(config.secretKey, 'audit email v1', normalizedEmail);
}

/** What an audit line needs from the request context (any route's context has it). */
interface AuditContext {
  var: { requestId: string; clientRequestId?: string; config: Config };
  req: { header(name: string): string | undefined };
}

export async function auditAuth(
  c: AuditContext,
  event: string,
  outcome: 'success' | 'failure',
  subject: { userId?: string; email?: string },
): Promise<void> {
  logEvent(outcome === 'success' ? 'info' : 'warn', {
    event,
    outcome,
    requestId: c.var.requestId,
    ...(c.var.clientRequestId ? { clientRequestId: c.var.clientRequestId } : {}),
    ip: clientIp(c.req),
    ...(subject.userId ? { userId: subject.userId } : {}),
    ...(subject.email ? { emailHash: await auditEmailHash(subject.email, c.var.config) } : {}),
  });
}
