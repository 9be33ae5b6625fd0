// The client package (client/src) against the real Worker under `wrangler dev` on the test Postgres:
// idempotent creates, If-Match and a real 412, password mistakes as field errors, a session ended
// elsewhere, a restore from the stored refresh token, and a real 429 from the refresh rate limit.
// Each client sends its own CF-Connecting-IP (its own "network"), so the per-network rate limits of one
// test do not spill into the next; the tabs of one browser are client-browser.test.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  type AsyncStore,
  createTaskApi,
  type TaskApiOptions,
  TaskConflictError,
} from '../../client/src/index.ts';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';
import { testWorkerBindings } from '../support/test-worker.ts';
import { insideOneWindow } from '../worker/support/rate-limit.ts';

const PASSWORD = 'client test password';
let worker: WranglerDev;
let networks = 0;
let clients = 0;

beforeAll(async () => {
  worker = await startWranglerDev(testWorkerBindings('client-api'));
}, 120_000);

afterAll(async () => {
  await worker?.stop();
});

const freshNetwork = () => `10.77.${Math.floor(++networks / 250)}.${(networks % 250) + 1}`;

function memoryStore(): AsyncStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void values.set(key, value),
    remove: async (key) => void values.delete(key),
  };
}

/** A client of the real API from a network of its own; `wire` can lose the next answer on its way back. */
function client(options: Partial<TaskApiOptions> & { network?: () => string } = {}) {
  const ip =
    options.network ??
    (
      (network) => () =>
        network
    )(freshNetwork());
  const sent: Request[] = [];
  const wire = { loseNextAnswerTo: '', replayed: [] as string[] };
  const api = createTaskApi({
    baseUrl: worker.url,
    name: `client-api-${++clients}`,
    storage: memoryStore(),
    ...options,
    fetch: async (request) => {
      request.headers.set('CF-Connecting-IP', ip());
      sent.push(request.clone());
      const response = await fetch(request);
      const replayed = response.headers.get('Idempotent-Replayed');
      if (replayed) wire.replayed.push(replayed);
      if (wire.loseNextAnswerTo === `${request.method} ${new URL(request.url).pathname}`) {
        wire.loseNextAnswerTo = '';
        throw new TypeError('fetch failed: the answer was lost on its way back');
      }
      return response;
    },
  });
  const events: string[] = [];
  api.auth.onChange((event) => events.push(event));
  const refreshes = () => sent.filter((request) => request.url.endsWith('/api/auth/refresh')).length;
  return { api, sent, wire, events, refreshes };
}

const uniqueEmail = () => `client-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;

describe('the client package against the real Worker', () => {
  it('a create whose answer was lost is sent again with the same Idempotency-Key: one task', async () => {
    const { api, sent, wire } = client();
    await api.auth.signUp({ email: uniqueEmail(), password: PASSWORD });
    wire.loseNextAnswerTo = 'POST /api/tasks';
    const created = await api.tasks.create({ title: 'Exactly once' });
    const creates = sent.filter((request) => request.method === 'POST' && request.url.endsWith('/api/tasks'));
    expect(creates).toHaveLength(2);
    expect(creates[1].headers.get('Idempotency-Key')).toBe(creates[0].headers.get('Idempotency-Key'));
    expect(wire.replayed).toEqual(['true']); // the API replayed the first answer
    const page = await api.tasks.list();
    expect(page.items.map((task) => [task.id, task.title])).toEqual([[created.id, 'Exactly once']]);
  });

  it('changes carry If-Match; a change made elsewhere meanwhile is a TaskConflictError with the task as it is', async () => {
    const email = uniqueEmail();
    const here = client();
    const elsewhere = client();
    await here.api.auth.signUp({ email, password: PASSWORD });
    await elsewhere.api.auth.signIn({ email, password: PASSWORD });
    const task = await here.api.tasks.create({ title: 'Draft' });
    expect(here.api.tasks.version(task.id)).toBe('"1"');

    await elsewhere.api.tasks.get(task.id);
    await elsewhere.api.tasks.update(task.id, { title: 'Changed elsewhere' });
    const conflict = await here.api.tasks.update(task.id, { title: 'My late edit' }).catch((error) => error);
    expect(conflict).toBeInstanceOf(TaskConflictError);
    expect(conflict).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    expect(conflict.task).toMatchObject({ id: task.id, title: 'Changed elsewhere' });
    const patches = here.sent.filter((request) => request.method === 'PATCH');
    expect(patches.map((request) => request.headers.get('If-Match'))).toEqual(['"1"']);

    // Having seen the current version, the same edit now goes through; so do a flip and a delete.
    expect((await here.api.tasks.update(task.id, { title: 'My late edit' })).title).toBe('My late edit');
    expect((await here.api.tasks.complete(task.id)).completed).toBe(true);
    const staleDelete = await elsewhere.api.tasks.remove(task.id).catch((error) => error);
    expect(staleDelete).toBeInstanceOf(TaskConflictError);
    expect(staleDelete.task.completed).toBe(true);
    await here.api.tasks.remove(task.id);
    expect((await here.api.tasks.list()).items).toEqual([]);
  });

  it('a wrong current password is a field error: the session carries on, nothing is refreshed', async () => {
    const { api, events, refreshes } = client();
    await api.auth.signUp({ email: uniqueEmail(), password: PASSWORD });
    const change = await api.auth
      .changePassword({ currentPassword: 'not the password', newPassword: 'a new password' })
      .catch((error) => error);
    expect(change).toBeInstanceOf(ApiError);
    expect(change.code).toBe('INVALID_CREDENTIALS');
    expect(change.errors.map((error: { path: string }) => error.path)).toEqual(['currentPassword']);
    const deletion = await api.auth.deleteAccount({ password: 'not the password' }).catch((error) => error);
    expect(deletion.code).toBe('INVALID_CREDENTIALS');
    expect(deletion.errors.map((error: { path: string }) => error.path)).toEqual(['password']);
    expect(events).toEqual(['SIGNED_IN']);
    expect(refreshes()).toBe(0);
    expect(api.auth.session()).not.toBeNull();
    expect((await api.tasks.list()).items).toEqual([]);
  });

  it('a session ended elsewhere: the next call refreshes, the API refuses, and the session is over', async () => {
    const email = uniqueEmail();
    const elsewhere = client();
    const store = memoryStore();
    const mine = client({ storage: store });
    await mine.api.auth.signUp({ email, password: PASSWORD });
    await elsewhere.api.auth.signIn({ email, password: PASSWORD });
    await elsewhere.api.auth.signOutEverywhere();
    expect(elsewhere.api.auth.session()).toBeNull();

    const error = await mine.api.tasks.list().catch((caught) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(401);
    expect(mine.refreshes()).toBe(1);
    expect(mine.events).toEqual(['SIGNED_IN', 'SIGNED_OUT']);
    expect(mine.api.auth.session()).toBeNull();
    expect([...store.values.values()]).toEqual([]);
  });

  it('a second client on the same store (a reload, another tab) restores the session; the first adopts its tokens', async () => {
    const store = memoryStore();
    const name = `client-api-shared-${++clients}`;
    const network = freshNetwork();
    const first = client({ storage: store, name, network: () => network });
    const session = await first.api.auth.signUp({ email: uniqueEmail(), password: PASSWORD });
    const second = client({ storage: store, name, network: () => network });
    const restored = await second.api.auth.restore();
    expect(restored?.sessionId).toBe(session.sessionId);
    expect(restored?.refreshToken).not.toBe(session.refreshToken);
    expect(second.events).toEqual(['SIGNED_IN']);
    // The first heard of it over the BroadcastChannel (Node has one too) and uses the new tokens.
    await expect.poll(() => first.api.auth.session()?.refreshToken).toBe(restored?.refreshToken);
    expect(first.events).toEqual(['SIGNED_IN', 'TOKEN_REFRESHED']);
    expect((await first.api.tasks.list()).items).toEqual([]);
    expect(first.refreshes()).toBe(0);
  });

  it('a real 429 from the refresh limit keeps the session; the kept refresh token works afterwards', async () => {
    const store = memoryStore();
    const name = `client-api-limited-${++clients}`;
    let network = freshNetwork();
    const first = client({ storage: store, name, network: () => network });
    const session = await first.api.auth.signUp({ email: uniqueEmail(), password: PASSWORD });
    // Use up this network's refresh budget (60 a minute), as a noisy neighbour would, inside one window
    // of the limiter (it counts in clock-aligned minutes), so the refusal is still on for the restore.
    await insideOneWindow(60, 15_000);
    let status = 0;
    for (let attempt = 0; attempt < 70 && status !== 429; attempt++) {
      const response = await fetch(`${worker.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': network },
        body: JSON.stringify({ refreshToken: 'not a token' }),
      });
      status = response.status;
    }
    expect(status).toBe(429);

    const second = client({ storage: store, name, network: () => network, retry: { maxWaitSeconds: 5 } });
    const limited = await second.api.auth.restore().catch((error) => error);
    expect(limited).toBeInstanceOf(ApiError);
    expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(limited.retryAfter).toBeGreaterThan(5);
    expect(await store.get(`${name}.refreshToken`)).toBe(session.refreshToken);
    expect(first.events).toEqual(['SIGNED_IN']);
    expect(first.api.auth.session()?.sessionId).toBe(session.sessionId);

    network = freshNetwork(); // the limit is per network: from another, the kept token refreshes
    const restored = await second.api.auth.restore();
    expect(restored?.sessionId).toBe(session.sessionId);
  });
});
