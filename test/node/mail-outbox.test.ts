// The local outbox (tools/local-platform/mail-outbox.ts): one .eml file per message, messages read back
// by address.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailNotice } from '../../tools/local-platform/mail-notice.ts';
import { type MailOutbox, type OutboxMessage, startMailOutbox } from '../../tools/local-platform/mail-outbox.ts';

let dir: string;
let outbox: MailOutbox;
const seen: string[] = [];
const received: OutboxMessage[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outbox-test-'));
  outbox = await startMailOutbox({
    dir,
    onMessage: (message) => {
      seen.push(message.to);
      received.push(message);
    },
  });
});
afterAll(async () => {
  await outbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown) =>
  fetch(`http://${outbox.hostPort}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('mail outbox', () => {
  it('writes each message as an .eml file and returns it by recipient, oldest first', async () => {
    const message = {
      from: 'no-reply@x.test',
      to: 'Ada@x.test',
      subject: 'Reset\r\nBcc: evil@x.test',
      text: 'Open https://app.test/reset-password#token=abc',
      html: '<p>Open</p>',
    };
    expect((await post(message)).status).toBe(201);
    expect((await post({ ...message, subject: 'second' })).status).toBe(201);
    expect((await post({ ...message, to: 'bob@x.test' })).status).toBe(201);

    const response = await fetch(`http://${outbox.hostPort}/messages?to=ada@x.test`);
    const { messages } = (await response.json()) as { messages: { subject: string; file: string }[] };
    expect(messages.map((m) => m.subject)).toEqual(['Reset\r\nBcc: evil@x.test', 'second']);
    expect(readdirSync(dir).filter((name) => name.endsWith('.eml'))).toHaveLength(3);

    const eml = readFileSync(messages[0].file, 'utf8');
    expect(eml).toMatch(/^From: no-reply@x\.test\r\nTo: Ada@x\.test\r\nSubject: Reset Bcc: evil@x\.test\r\n/);
    expect(eml).not.toMatch(/^Bcc:/m);
    expect(eml).toContain('Content-Type: multipart/alternative');
    expect(eml).toContain('https://app.test/reset-password#token=abc');
    expect(seen).toEqual(['Ada@x.test', 'Ada@x.test', 'bob@x.test']);
  });

  it('refuses a body that is not a message', async () => {
    expect((await post('not json')).status).toBe(400);
    expect((await post({ to: 'a@x.test' })).status).toBe(400);
    expect((await fetch(`http://${outbox.hostPort}/elsewhere`)).status).toBe(404);
  });
});

/**
 * A request through node:http, which (unlike fetch) sends exactly the headers given: a foreign Host as a
 * DNS-rebound page would, and no Sec-Fetch-Mode.
 */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: outbox.port, path, method, headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const message = (subject: string) =>
  JSON.stringify({ from: 'no-reply@x.test', to: 'mallory@x.test', subject, text: 'hi', html: '<p>hi</p>' });
const json = { 'Content-Type': 'application/json' };
const sentTo = async (address: string) =>
  ((await (await fetch(`http://${outbox.hostPort}/messages?to=${address}`)).json()) as { messages: unknown[] })
    .messages;

describe('mail outbox: local programs only', () => {
  it('refuses a foreign Host (a DNS-rebound page), or loopback on another port: 403, nothing read or written', async () => {
    for (const host of ['evil.example', `evil.example:${outbox.port}`, `127.0.0.1:${outbox.port + 1}`, 'localhost']) {
      const read = await rawRequest('GET', '/messages', { Host: host });
      expect(read.status, host).toBe(403);
      expect(read.body, host).not.toContain('@x.test');
      expect((await rawRequest('POST', '/messages', { ...json, Host: host }, message(host))).status, host).toBe(403);
    }
    expect(await sentTo('mallory@x.test')).toEqual([]);
    // A control: the same requests naming a loopback host and this port are served.
    for (const host of [`127.0.0.1:${outbox.port}`, `localhost:${outbox.port}`, `[::1]:${outbox.port}`]) {
      expect((await rawRequest('GET', '/messages', { Host: host })).status, host).toBe(200);
    }
  });

  it('refuses browsers: a request with an Origin or Sec-Fetch-Site/-Mode is 403, nothing read or written', async () => {
    const local = { Host: `127.0.0.1:${outbox.port}` };
    const fromBrowser: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-origin' },
      { 'Sec-Fetch-Mode': 'no-cors' },
      { 'Sec-Fetch-Mode': 'navigate' },
    ];
    for (const headers of fromBrowser) {
      const label = JSON.stringify(headers);
      const read = await rawRequest('GET', '/messages', { ...local, ...headers });
      expect(read.status, label).toBe(403);
      expect(read.body, label).not.toContain('@x.test');
      const write = await rawRequest('POST', '/messages', { ...local, ...json, ...headers }, message(label));
      expect(write.status, label).toBe(403);
    }
    expect(await sentTo('mallory@x.test')).toEqual([]);
  });

  it('takes only JSON: a POST without Content-Type application/json is 415 and writes nothing', async () => {
    const local = { Host: `127.0.0.1:${outbox.port}` };
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const headers: Record<string, string> = type ? { ...local, 'Content-Type': type } : local;
      expect((await rawRequest('POST', '/messages', headers, message(`typed ${type}`))).status, type).toBe(415);
    }
    expect(await sentTo('mallory@x.test')).toEqual([]);
    const typed = { ...local, 'Content-Type': 'application/json; charset=utf-8' };
    expect((await rawRequest('POST', '/messages', typed, message('json'))).status).toBe(201); // a control
  });
});

describe('mail outbox: what npm run dev prints', () => {
  it('escapes control characters (C0, DEL, C1, U+2028/2029) in the address, subject and link', async () => {
    const hostile = {
      from: 'no-reply@x.test',
      to: 'eve\x1b]0;owned\x07@x.test',
      subject: 'Reset\x1b[2J\r\ndev: email to admin@x.test (forged line)\x7f\x9b31m\u2028\u2029',
      text: 'Open https://app.test/reset-password#token=abc\x1b[2Jdef\x85 now',
      html: '<p>Open</p>',
    };
    expect((await post(hostile)).status).toBe(201);
    const notice = mailNotice(received[received.length - 1], dir);
    // Nothing the terminal would act on: only printable characters and the notice's own line break.
    expect(notice.replace('\n', '')).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
    const lines = notice.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('eve\\x1b]0;owned\\x07@x.test');
    expect(lines[0]).toContain(
      'Reset\\x1b[2J\\r\\ndev: email to admin@x.test (forged line)\\x7f\\x9b31m\\u2028\\u2029',
    );
    expect(lines[1]).toBe('dev:   link: https://app.test/reset-password#token=abc\\x1b[2Jdef\\x85');
  });
});

describe('the mail page (GET /mail)', () => {
  const page = (headers: Record<string, string>) =>
    new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: outbox.port, path: '/mail', headers: { Host: outbox.hostPort, ...headers } },
        (response) => {
          let body = '';
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
        },
      );
      request.on('error', reject);
      request.end();
    });

  it('lists the messages with their links, escaped, to a page the developer opened directly', async () => {
    expect(
      (
        await post({
          from: 'no-reply@x.test',
          to: 'page@x.test',
          subject: '<script>alert(1)</script> reset',
          text: 'Open http://127.0.0.1:5173/reset-password#token=page-token now',
          html: '<p>Open</p>',
        })
      ).status,
    ).toBe(201);
    const opened = await page({ 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' });
    expect(opened.status).toBe(200);
    expect(opened.headers['content-security-policy']).toContain("default-src 'none'");
    expect(opened.body).toContain(
      '<a href="http://127.0.0.1:5173/reset-password#token=page-token">http://127.0.0.1:5173/reset-password#token=page-token</a>',
    );
    expect(opened.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; reset');
    expect(opened.body).not.toContain('<script>');
  });

  it('refuses another site, a web page, and a foreign Host', async () => {
    expect((await page({ 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' })).status).toBe(403);
    expect((await page({ 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    expect((await page({ Origin: 'http://evil.test' })).status).toBe(403);
    expect((await page({ Host: `rebound.evil.test:${outbox.port}`, 'Sec-Fetch-Site': 'none' })).status).toBe(403);
  });
});
