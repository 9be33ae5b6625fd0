// How the API sends email: one interface, two implementations chosen by EMAIL_TRANSPORT.
// - binding: Cloudflare Email Service through the `send_email` binding EMAIL (declared per environment
//   in wrangler.toml);
// - outbox: a POST of each message to the loopback outbox server (tools/local-platform/mail-outbox.ts) that
//   `npm run dev` and the tests start; it writes one .eml file per message (Workers cannot write files).
import type { Bindings } from '../bindings.ts';
import type { Config } from '../config.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface EmailTransport {
  send(message: OutgoingEmail): Promise<void>;
}

export function bindingTransport(binding: SendEmail | undefined, from: string): EmailTransport {
  return {
    async send(message) {
      if (!binding) throw new Error('the EMAIL send_email binding is not declared for this environment');
      await binding.send({ from, ...message });
    },
  };
}

export function outboxTransport(hostPort: string, from: string): EmailTransport {
  return {
    async send(message) {
      const response = await fetch(`http://${hostPort}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ from, ...message }),
      });
      if (!response.ok) throw new Error(`the local outbox answered HTTP ${response.status}`);
      await response.body?.cancel();
    },
  };
}

export function emailTransport(env: Bindings, config: Config): EmailTransport {
  return config.EMAIL_TRANSPORT === 'binding'
    ? bindingTransport(env.EMAIL, config.EMAIL_FROM)
    : outboxTransport(config.LOCAL_OUTBOX, config.EMAIL_FROM);
}
