// The local outbox (tools/local-platform/mail-outbox.ts): one .eml file per message, messages read back
// by address.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailOutbox, startMailOutbox } from '../../tools/local-platform/mail-outbox.ts';

let dir: string;
let outbox: MailOutbox;
const seen: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outbox-test-'));
  outbox = await startMailOutbox({ dir, onMessage: (message) => seen.push(message.to) });
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
