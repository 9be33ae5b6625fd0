// Worker entry: builds the app once per isolate and hands it every request; the hourly cron
// trigger (wrangler.toml [triggers]) deletes expired Idempotency-Key records.
import { createApp } from './app.ts';
import type { Bindings } from './bindings.ts';
import { loadConfig } from './config.ts';
import { createDatabase } from './db/client.ts';
import { logEvent } from './lib/log.ts';
import { deleteExpiredIdempotencyKeys } from './tasks/idempotency.ts';

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, _ctx) {
    const deleted = await deleteExpiredIdempotencyKeys(createDatabase(loadConfig(env)));
    logEvent('info', { event: 'idempotency_keys_expired', deleted });
  },
} satisfies ExportedHandler<Bindings>;
