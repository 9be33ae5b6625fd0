// Worker entry: builds the app once per isolate and hands it every request; the hourly cron
// trigger (wrangler.toml [triggers]) deletes expired Idempotency-Key records, ended sessions, email
// tokens that expired over a day ago and task tombstones older than 30 days, and clears sealed refresh
// tokens whose reuse window has passed.
import { createApp } from './app.ts';
import { deleteExpiredEmailTokens } from './auth/accounts/email-tokens.ts';
import { clearSealedTokens, deleteEndedSessions } from './auth/sessions/repository.ts';
import type { Bindings } from './bindings.ts';
import { loadConfig } from './config.ts';
import { createDatabase } from './db/client.ts';
import { logEvent } from './lib/log.ts';
import { forgetOldTombstones } from './tasks/changes.ts';
import { deleteExpiredIdempotencyKeys } from './tasks/idempotency.ts';

export { LiveTasks } from './live/object.ts';

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, _ctx) {
    const db = createDatabase(loadConfig(env));
    const deleted = await deleteExpiredIdempotencyKeys(db);
    logEvent('info', { event: 'idempotency_keys_expired', deleted });
    const sessionsDeleted = await deleteEndedSessions(db);
    logEvent('info', { event: 'ended_sessions_deleted', deleted: sessionsDeleted });
    const sealedCleared = await clearSealedTokens(db);
    logEvent('info', { event: 'sealed_refresh_tokens_cleared', cleared: sealedCleared });
    const tokensDeleted = await deleteExpiredEmailTokens(db);
    logEvent('info', { event: 'expired_email_tokens_deleted', deleted: tokensDeleted });
    const tombstonesForgotten = await forgetOldTombstones(db);
    logEvent('info', { event: 'task_tombstones_forgotten', deleted: tombstonesForgotten });
  },
} satisfies ExportedHandler<Bindings>;
