// Sends an email after the response (waitUntil), so a response never waits on (or reveals) delivery:
// the password-reset request answers in the same time whether or not an email goes out. A failed send
// is logged with the kind of email and the request id, never the address, the link or the token.
import type { Bindings } from '../bindings.ts';
import type { Config } from '../config.ts';
import { logEvent } from '../lib/log.ts';
import { emailTransport, type OutgoingEmail } from './transport.ts';

interface DeliveryContext {
  env: Bindings;
  executionCtx: { waitUntil(promise: Promise<unknown>): void };
  var: { requestId: string; config: Config };
}

export function deliverLater(c: DeliveryContext, kind: string, message: OutgoingEmail): void {
  c.executionCtx.waitUntil(sendLogged(c, kind, message));
}

/** Sends now; a failure is logged (as above), never thrown. */
export function sendLogged(c: DeliveryContext, kind: string, message: OutgoingEmail): Promise<void> {
  return emailTransport(c.env, c.var.config)
    .send(message)
    .catch((error: unknown) => {
      logEvent('error', {
        event: 'email_send_failed',
        kind,
        requestId: c.var.requestId,
        transport: c.var.config.EMAIL_TRANSPORT,
        // The provider's reason, with any address in it masked; the message itself is never logged.
        error:
          error instanceof Error
            ? error.message.replace(/[^\s<>"']+@[^\s<>"']+/g, '<address>').slice(0, 300)
            : 'unknown',
      });
    });
}
