// Security log lines for authentication outcomes: who (user id, or a hash of the email), from where,
// which request. Never a password, token or email in clear.
import type { Context } from 'hono';
import type { HonoEnv } from '../env.ts';
import { logEvent } from '../http/log.ts';
import { clientIp } from './rate-limit.ts';

async function emailHash(normalizedEmail: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(normalizedEmail));
  return [...new Uint8Array(digest).slice(0, 12)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function auditAuth(
  c: Context<HonoEnv>,
  event: string,
  outcome: 'success' | 'failure',
  subject: { userId?: string; email?: string },
): Promise<void> {
  logEvent(outcome === 'success' ? 'info' : 'warn', {
    event,
    outcome,
    requestId: c.get('requestId'),
    ip: clientIp(c.req),
    ...(subject.userId ? { userId: subject.userId } : {}),
    ...(subject.email ? { emailHash: await emailHash(subject.email) } : {}),
  });
}
