// The two transports behind one interface, chosen by EMAIL_TRANSPORT.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { bindingTransport, emailTransport, outboxTransport } from '../../../src/email/transport.ts';

const message = { to: 'ada@example.test', subject: 'Hello', text: 'text', html: '<p>html</p>' };

describe('email transports', () => {
  it('binding: one send({ from, to, subject, text, html }) on the send_email binding', async () => {
    const sent: unknown[] = [];
    const binding = {
      send: async (email: unknown) => {
        sent.push(email);
        return { messageId: 'm1' };
      },
    } as unknown as SendEmail;
    await bindingTransport(binding, 'no-reply@app.example').send(message);
    expect(sent).toEqual([{ from: 'no-reply@app.example', ...message }]);
  });

  it('binding: a missing binding is an error (logged by the caller), not a silent success', async () => {
    await expect(bindingTransport(undefined, 'no-reply@app.example').send(message)).rejects.toThrow(/send_email/);
  });

  it('binding: the send_email binding as wrangler simulates it locally accepts the message', async () => {
    const binding = (env as Bindings).EMAIL;
    expect(binding).toBeDefined();
    await bindingTransport(binding, 'no-reply@task-api.test').send(message);
  });

  it('outbox: the message reaches the loopback outbox and can be read back', async () => {
    const to = `outbox-${crypto.randomUUID()}@example.test`;
    const config = loadConfig(env as Bindings);
    expect(config.EMAIL_TRANSPORT).toBe('outbox');
    await emailTransport(env as Bindings, config).send({ ...message, to });
    const response = await fetch(`http://${config.LOCAL_OUTBOX}/messages?to=${encodeURIComponent(to)}`);
    const { messages } = (await response.json()) as { messages: { from: string; subject: string }[] };
    expect(messages).toMatchObject([{ from: 'no-reply@task-api.test', subject: 'Hello' }]);
  });

  it('outbox: an outbox that is not there is an error', async () => {
    await expect(outboxTransport('127.0.0.1:9', 'a@b.test').send(message)).rejects.toThrow();
  });
});
