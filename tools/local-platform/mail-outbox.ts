// The local outbox: where the Worker's email goes in `npm run dev` and the tests (EMAIL_TRANSPORT=outbox).
// Workers cannot write files, so the Worker POSTs each message here and this server, on loopback only,
// writes it as one .eml file (RFC 5322, text and HTML as multipart/alternative) and keeps it in memory.
// The messages hold reset links, so only local programs are served (see refusal() in local-http.ts):
//
//   POST /messages  {"from","to","subject","text","html"}  → 201, one <time>-<n>.eml in the directory
//   GET  /messages?to=<address>                             → {"messages": [{from,to,subject,text,html,file}]}
//                                                             oldest first (all messages without `to`)
//   GET  /mail                                              → an HTML page of the messages and their links,
//                                                             for the developer's browser (mail-page.ts)
//   403 for a foreign Host or a browser's request, 415 for a POST that is not application/json

import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { hasJsonBody, readBody, refusal, sendJson } from './local-http.ts';
import { MAIL_PAGE_PATH, mailPageRefusal, sendMailPage } from './mail-page.ts';

export interface OutboxMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The .eml file it was written to. */
  file: string;
}

export interface MailOutbox {
  port: number;
  /** host:port, for LOCAL_OUTBOX. */
  hostPort: string;
  messages: OutboxMessage[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** A header value on one line (a CR or LF in it could forge headers). */
function headerValue(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/** The message as an .eml file: headers, then the text and HTML alternatives (8bit UTF-8). */
export function toEml(message: Omit<OutboxMessage, 'file'>, date = new Date()): string {
  const boundary = `outbox-${crypto.randomUUID()}`;
  return [
    `From: ${headerValue(message.from)}`,
    `To: ${headerValue(message.to)}`,
    `Subject: ${headerValue(message.subject)}`,
    `Date: ${date.toUTCString()}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    message.text,
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    message.html,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

function isMessage(value: unknown): value is Omit<OutboxMessage, 'file'> {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['from', 'to', 'subject', 'text', 'html'].every((key) => typeof record[key] === 'string');
}

export async function startMailOutbox(options: {
  dir: string;
  port?: number;
  /** Called after each message is written (e.g. `npm run dev` prints its link). */
  onMessage?: (message: OutboxMessage) => void;
}): Promise<MailOutbox> {
  mkdirSync(options.dir, { recursive: true });
  const messages: OutboxMessage[] = [];
  let counter = 0;
  const server = createServer(async (request, response) => {
    const port = (server.address() as AddressInfo).port;
    if (request.url === MAIL_PAGE_PATH && request.method === 'GET') {
      const refusedPage = mailPageRefusal(request, port);
      return refusedPage ? sendJson(response, 403, { error: refusedPage }) : sendMailPage(response, messages);
    }
    const refused = refusal(request, port);
    if (refused) return sendJson(response, 403, { error: refused });
    const url = new URL(request.url ?? '/', 'http://outbox');
    if (url.pathname !== '/messages') return sendJson(response, 404, { error: 'not found' });
    if (request.method === 'GET') {
      const to = url.searchParams.get('to')?.toLowerCase();
      return sendJson(response, 200, {
        messages: to === undefined ? messages : messages.filter((message) => message.to.toLowerCase() === to),
      });
    }
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'method not allowed' });
    if (!hasJsonBody(request)) return sendJson(response, 415, { error: 'Content-Type must be application/json' });
    let payload: unknown;
    try {
      payload = JSON.parse(await readBody(request, MAX_BODY_BYTES, () => new Error('too large')));
    } catch {
      return sendJson(response, 400, { error: 'a JSON body up to 1 MiB is required' });
    }
    if (!isMessage(payload)) return sendJson(response, 400, { error: 'from, to, subject, text and html are required' });
    counter += 1;
    const file = join(options.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${counter}.eml`);
    writeFileSync(file, toEml(payload), { mode: 0o600 });
    const message = {
      from: payload.from,
      to: payload.to,
      subject: payload.subject,
      text: payload.text,
      html: payload.html,
      file,
    };
    messages.push(message);
    options.onMessage?.(message);
    sendJson(response, 201, { file });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hostPort: `127.0.0.1:${port}`,
    messages,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
