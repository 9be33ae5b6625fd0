// Security log lines for authentication outcomes: who (user id, or a hash of the email), from where,
// which request. Never a password, token or email in clear.
import { sha256Hex } from '../lib/digest.ts';
import { logEvent } from '../lib/log.ts';
import { clientIp } from './network.ts';

/** The first 12 bytes of the email's SHA-256: enough to correlate log lines, not to print the address. */
async function emailHash(normalizedEmail: string): Promise<string> {
  return (await sha256Hex(normalizedEmail)).slice(0, 24);
}

/** What an audit line needs from the request context (any route's context has it). */
interface AuditContext {
  var: { requestId: string };
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
    ip: clientIp(c.req),
    ...(subject.userId ? { userId: subject.userId } : {}),
    ...(subject.email ? { emailHash: await emailHash(subject.email) } : {}),
  });
}
