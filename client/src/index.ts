// @task-api/client: the Task API for browser apps. `createTaskApi({ baseUrl })` answers
// - `auth`: sign-up/in/out, the session and its events in every tab, account and email routes;
// - `tasks`: task calls with idempotent creates and If-Match changes, and live changes (subscribe);
// - `raw`: the typed openapi-fetch client, with the same token handling, for anything else.
import createClient from 'openapi-fetch';
import type { paths } from '../openapi.js';
import { createAuth } from './auth.js';
import { authMiddleware } from './middleware.js';
import { createRefresh } from './refresh.js';
import type { RetryPolicy } from './retry.js';
import { createSessionState } from './session.js';
import { resolveStore, type StorageOption } from './storage.js';
import { createTasks } from './tasks.js';

export type { Credentials, SessionInfo, User } from './auth.js';
export { ApiError, type ErrorCode, type FieldError, NetworkError, type Task, TaskConflictError } from './errors.js';
export type { AuthEvent, Session } from './events.js';
export type { SubscribeOptions, TaskChange } from './live.js';
export type { RetryPolicy } from './retry.js';
export type { AuthListener } from './session.js';
export type { AsyncStore, StorageOption } from './storage.js';
export type { ChangePage, NewTask, TaskChanges, TaskPage, TaskQuery, TaskReplacement } from './tasks.js';
export type { paths };

export interface TaskApiOptions {
  /** The API's origin, e.g. https://task-api.example.workers.dev */
  baseUrl: string;
  /** Where the refresh token is kept (storage.ts): 'local' (default), 'memory' or a store of yours. */
  storage?: StorageOption;
  fetch?: (request: Request) => Promise<Response>;
  /** Names the stored key, the Web Lock and the BroadcastChannel: two apps of one origin use two names. */
  name?: string;
  /** Refreshes and creates retried after no answer, 429 or 503 (retry.ts). */
  retry?: RetryPolicy;
  /** A refresh that has not answered after this long counts as no answer (default 15 000 ms). */
  refreshTimeoutMs?: number;
}

export type TaskApi = ReturnType<typeof createTaskApi>;

export function createTaskApi(options: TaskApiOptions) {
  const { baseUrl, fetch, name = 'task-api', retry = {} } = options;
  const store = resolveStore(options.storage);
  const key = `${name}.refreshToken`;
  const state = createSessionState(store, key, name);
  // Sign-in, refresh and the email-link routes take no access token: a client without the middleware.
  const anonymous = createClient<paths>({ baseUrl, fetch });
  const raw = createClient<paths>({ baseUrl, fetch });
  const refresh = createRefresh({
    name,
    key,
    store,
    state,
    anonymous,
    retry,
    timeoutMs: options.refreshTimeoutMs ?? 15_000,
  });
  raw.use(authMiddleware(state, refresh));
  return {
    auth: createAuth(raw, anonymous, state, refresh),
    tasks: createTasks(raw, retry, baseUrl, state.onChange),
    raw,
  };
}
