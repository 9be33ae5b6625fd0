// Email in tests: the Worker sends through the loopback outbox of the global setup (EMAIL_TRANSPORT=outbox);
// these read the messages back from it. Sending happens after the response, so reads poll briefly.
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import type { OutboxMessage } from '../../../tools/local-platform/mail-outbox.ts';

/** A message as the outbox stores and serves it. */
export type SentEmail = OutboxMessage;

const outbox = () => (env as { LOCAL_OUTBOX: string }).LOCAL_OUTBOX;

/** Every message sent to `to` so far, oldest first. */
export async function emailsTo(to: string): Promise<SentEmail[]> {
  const response = await fetch(`http://${outbox()}/messages?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { messages: SentEmail[] }).messages;
}

/** Waits until at least `count` messages were sent to `to` (5 s at most) and returns them all. */
export async function waitForEmails(to: string, count = 1): Promise<SentEmail[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const messages = await emailsTo(to);
    if (messages.length >= count || Date.now() > deadline) {
      expect(messages.length, `emails to ${to}`).toBeGreaterThanOrEqual(count);
      return messages;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Gives sends already under way time to arrive, then the messages to `to` (for "nothing was sent"). */
export async function settledEmailsTo(to: string): Promise<SentEmail[]> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  return emailsTo(to);
}

/** The token in a message's link to `${APP_URL}/<page>#token=…`, checking the link's shape. */
export function linkToken(message: SentEmail, page: 'reset-password' | 'verify-email'): string {
  const match = message.text.match(new RegExp(`http://app\\.test/${page}#token=([A-Za-z0-9_-]+)`));
  expect(match, `a ${page} link in: ${message.text}`).not.toBeNull();
  return (match as RegExpMatchArray)[1];
}

/** Messages to `to` that link to `page`, oldest first, waiting (5 s at most) until there are `count`. */
export async function waitForLinks(to: string, page: 'reset-password' | 'verify-email', count = 1): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const tokens = (await emailsTo(to))
      .filter((message) => message.text.includes(`/${page}#token=`))
      .map((message) => linkToken(message, page));
    if (tokens.length >= count || Date.now() > deadline) {
      expect(tokens.length, `${page} emails to ${to}`).toBeGreaterThanOrEqual(count);
      return tokens;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The token of the newest `page` link sent to `to`, once at least `count` were sent. */
export async function latestLinkToken(to: string, page: 'reset-password' | 'verify-email', count = 1): Promise<string> {
  const tokens = await waitForLinks(to, page, count);
  return tokens[tokens.length - 1];
}
