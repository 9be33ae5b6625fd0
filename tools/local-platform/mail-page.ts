// GET /mail on the local outbox: the messages `npm run dev` sent, newest first, with their links, for a
// developer's browser. The messages hold reset links, so the page is served only to a top-level visit the
// developer made (typed or bookmarked: `Sec-Fetch-Site: none`, or a tool without Sec-Fetch headers), on a
// loopback Host with the outbox's port, never to another site's page (Origin, or any other
// Sec-Fetch-Site), and it runs no script (CSP default-src 'none').
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHostPort } from '../../src/lib/loopback.ts';
import type { OutboxMessage } from './mail-outbox.ts';

export const MAIL_PAGE_PATH = '/mail';

/** Why this request may not see the page, or null. */
export function mailPageRefusal(request: IncomingMessage, port: number): string | null {
  const { headers } = request;
  if (!isLoopbackHostPort(headers.host ?? '', port)) return 'only a loopback Host with this port is served';
  if (headers.origin !== undefined) return 'requests from web pages (with an Origin header) are refused';
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'none') return 'only a page opened directly (not from another site) is served';
  return null;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
const LINK = /https?:\/\/[^\s<>"']+/g;

function messageHtml(message: OutboxMessage): string {
  const links = [...new Set(message.text.match(LINK) ?? [])]
    .map((link) => `<li><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></li>`)
    .join('');
  return `<article><h2>${escapeHtml(message.subject)}</h2><p>to ${escapeHtml(message.to)}</p><ul>${links}</ul></article>`;
}

export function sendMailPage(response: ServerResponse, messages: readonly OutboxMessage[]): void {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>Local outbox</title></head><body>
<h1>Local outbox: ${messages.length} message${messages.length === 1 ? '' : 's'}, newest first</h1>
${[...messages].reverse().map(messageHtml).join('\n')}
</body></html>`;
  response.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  response.end(body);
}
