// The client package's refresh policy, unit-tested against a small local HTTP fake of the API
// (test/support/client-fake-api.ts), because the failures it must survive — 429, 503, a dropped
// connection, an answer that never comes — are what the real API gives only under load or in an outage.
// The same client against the real Worker: client-api.test.ts (a real 429 included) and
// client-browser.test.ts (tabs in Chromium).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createTaskApi, NetworkError, type TaskApiOptions } from '../../client/src/index.ts';
import { type Answer, type FakeApi, fakeSession, problem, startFakeApi } from '../support/client-fake-api.ts';

const LIST_OK: Answer = { status: 200, body: { items: [], nextCursor: null } };
let fake: FakeApi | undefined;
// Each test's client has a name of its own: the clients of earlier tests, still alive, share the
// process's BroadcastChannels and must not hear of this test's sessions.
let clients = 0;

afterEach(async () => {
  vi.unstubAllGlobals();
  await fake?.close();
  fake = undefined;
});

/**
 * Signed in as session 1 of a fake that refreshes to session 2, 3, … (or answers `refreshAnswers` first,
 * one per refresh) and honours only the newest access token on /api/tasks (401 TOKEN_EXPIRED otherwise).
 */
async function signedIn(refreshAnswers: Answer[] = [], options: Partial<TaskApiOptions> = {}) {
  let issued = 1;
  let valid = 'access-1';
  let tasks: (authorization: string | undefined) => Answer = (authorization) =>
    authorization === `Bearer ${valid}` ? LIST_OK : problem(401, 'TOKEN_EXPIRED');
  fake = await startFakeApi(({ path, headers }) => {
    if (path === '/api/auth/signin') return { status: 200, body: fakeSession(1) };
    if (path === '/api/auth/refresh') {
      const scripted = refreshAnswers.shift();
      if (scripted) return scripted;
      issued += 1;
      valid = `access-${issued}`;
      return { status: 200, body: fakeSession(issued) };
    }
    return tasks(headers.authorization);
  });
  const stored = new Map<string, string>();
  const name = `refresh-test-${++clients}`;
  const api = createTaskApi({
    baseUrl: fake.url,
    name,
    storage: {
      get: (key) => stored.get(key) ?? null,
      set: (key, value) => void stored.set(key, value),
      remove: (key) => void stored.delete(key),
    },
    ...options,
  });
  await api.auth.signIn({ email: 'ada@example.test', password: 'a password' });
  const events: string[] = [];
  api.auth.onChange((event) => events.push(event));
  const refreshes = () => fake!.received.filter((request) => request.path === '/api/auth/refresh');
  return {
    api,
    /** The refresh token in the store, if any. */
    stored: () => stored.get(`${name}.refreshToken`),
    /**
     * What another tab of the origin does when it refreshes first: rotates the session and stores the
     * token, unless `seenHere` is false: this tab's copy of the store lags (as Chromium's localStorage can).
     */
    refreshElsewhere: async (seenHere = true) => {
      const response = await fetch(`${fake!.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: stored.get(`${name}.refreshToken`) }),
      });
      const session = (await response.json()) as ReturnType<typeof fakeSession>;
      if (seenHere) stored.set(`${name}.refreshToken`, session.refreshToken);
      return session;
    },
    /** The channel the other tabs tell of sessions on. */
    name,
    events,
    refreshes,
    /** The access token runs out on the (fake) server. */
    expire: () => {
      valid = 'none';
    },
    /** Replaces how /api/tasks answers. */
    answerTasks: (next: typeof tasks) => {
      tasks = next;
    },
  };
}

/**
 * Node has no navigator.locks: a stand-in with the browser's semantics used here (exclusive, first come
 * first served, `ifAvailable` answered with a null lock when it is taken).
 */
function webLocks() {
  const tails = new Map<string, Promise<void>>();
  const counts = new Map<string, number>();
  return {
    /** Tabs holding or waiting for the lock. */
    pending: (name: string) => counts.get(name) ?? 0,
    request<T>(name: string, ...args: [(lock: unknown) => T] | [{ ifAvailable?: boolean }, (lock: unknown) => T]) {
      const callback = args.length === 1 ? args[0] : args[1];
      if (args.length === 2 && args[0].ifAvailable && (counts.get(name) ?? 0) > 0)
        return Promise.resolve().then(() => callback(null));
      counts.set(name, (counts.get(name) ?? 0) + 1);
      const result = (tails.get(name) ?? Promise.resolve()).then(() => callback({ name }));
      const release = () => void counts.set(name, counts.get(name)! - 1);
      tails.set(name, result.then(release, release));
      return result;
    },
  };
}

/** Another tab tells `message` on the channel `name` after `ms`; the answer stops it (and closes the channel). */
function tellLater(name: string, message: { event: string; session: unknown }, ms: number): () => void {
  const otherTab = new BroadcastChannel(name);
  const told = setTimeout(() => otherTab.postMessage(message), ms);
  return () => {
    clearTimeout(told);
    otherTab.close();
  };
}

describe('client refresh policy (against a local fake of the API)', () => {
  it('a 401 TOKEN_EXPIRED is refreshed once, even for concurrent calls, and each call is sent again', async () => {
    const { api, stored, events, refreshes, expire } = await signedIn();
    expire();
    const pages = await Promise.all([1, 2, 3, 4, 5].map(() => api.tasks.list()));
    expect(pages).toHaveLength(5);
    expect(refreshes().map((request) => request.body)).toEqual([{ refreshToken: 'refresh-1' }]);
    expect(stored()).toBe('refresh-2');
    expect(api.auth.session()?.accessToken).toBe('access-2');
    expect(events).toEqual(['TOKEN_REFRESHED']);
    const retried = fake!.received.filter((request) => request.headers.authorization === 'Bearer access-2');
    expect(retried).toHaveLength(5);
  });

  it('429 from refresh: waits Retry-After, tries again, and the call succeeds', async () => {
    const { api, stored, events, refreshes, expire } = await signedIn([
      problem(429, 'RATE_LIMITED', { 'Retry-After': '1' }),
    ]);
    expire();
    const started = Date.now();
    await api.tasks.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(refreshes().map((request) => request.body.refreshToken)).toEqual(['refresh-1', 'refresh-1']);
    expect(stored()).toBe('refresh-2');
    expect(events).toEqual(['TOKEN_REFRESHED']);
  });

  it('429 with a Retry-After longer than maxWaitSeconds: ApiError at once, and the session is kept', async () => {
    const { api, stored, events, refreshes, expire } = await signedIn(
      [problem(429, 'RATE_LIMITED', { 'Retry-After': '60' })],
      { retry: { maxWaitSeconds: 5 } },
    );
    expire();
    const error = await api.tasks.list().catch((caught) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfter: 60 });
    expect(refreshes()).toHaveLength(1);
    expect(stored()).toBe('refresh-1');
    expect(api.auth.session()?.refreshToken).toBe('refresh-1');
    expect(events).toEqual([]);
    // Later the same stored token refreshes.
    await api.tasks.list();
    expect(stored()).toBe('refresh-2');
  });

  it('503 on every try: ApiError 503 after the attempts, and the session is kept', async () => {
    const unavailable = problem(503, 'DATABASE_UNAVAILABLE', { 'Retry-After': '0' });
    const { api, stored, events, refreshes, expire } = await signedIn([unavailable, unavailable, unavailable]);
    expire();
    const error = await api.tasks.list().catch((caught) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(refreshes()).toHaveLength(3);
    expect(stored()).toBe('refresh-1');
    expect(api.auth.user()?.email).toBe('ada@example.test');
    expect(events).toEqual([]);
  });

  it('no answer (the connection dropped): NetworkError, and the session is kept', async () => {
    const { api, stored, events, refreshes, expire } = await signedIn(['reset', 'reset'], {
      retry: { attempts: 2 },
    });
    expire();
    const error = await api.tasks.list().catch((caught) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect(refreshes()).toHaveLength(2);
    expect(stored()).toBe('refresh-1');
    expect(api.auth.session()).not.toBeNull();
    expect(events).toEqual([]);
  });

  it('a refresh that never answers times out as a NetworkError, and the session is kept', async () => {
    const { api, stored, events, expire } = await signedIn(['hang'], {
      retry: { attempts: 1 },
      refreshTimeoutMs: 300,
    });
    expire();
    const error = await api.tasks.list().catch((caught) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error.cause as Error).name).toBe('TimeoutError');
    expect(stored()).toBe('refresh-1');
    expect(events).toEqual([]);
  });

  it('a 401 from refresh ends the session: SIGNED_OUT, the stored token removed, the call rejected with 401', async () => {
    const { api, stored, events, expire } = await signedIn([problem(401, 'UNAUTHENTICATED')]);
    expire();
    const error = await api.tasks.list().catch((caught) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(stored()).toBeUndefined();
    expect(api.auth.session()).toBeNull();
    expect(events).toEqual(['SIGNED_OUT']);
  });

  it('a 401 again after a successful refresh and retry: signed out', async () => {
    const { api, stored, events, refreshes, answerTasks } = await signedIn();
    answerTasks(() => problem(401, 'UNAUTHENTICATED'));
    const error = await api.tasks.list().catch((caught) => caught);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(refreshes()).toHaveLength(1);
    expect(stored()).toBeUndefined();
    expect(events).toEqual(['TOKEN_REFRESHED', 'SIGNED_OUT']);
  });

  it('a 403 never signs out and never refreshes', async () => {
    const { api, stored, events, refreshes, answerTasks } = await signedIn();
    answerTasks(() => problem(403, 'EXTERNAL_ACCOUNT'));
    const error = await api.tasks.list().catch((caught) => caught);
    expect(error).toMatchObject({ status: 403, code: 'EXTERNAL_ACCOUNT' });
    expect(refreshes()).toHaveLength(0);
    expect(stored()).toBe('refresh-1');
    expect(events).toEqual([]);
  });

  describe('another tab of the origin refreshed first (a shared store)', () => {
    it('its news comes late (2 s): this tab waits for it and sends no refresh of its own', async () => {
      const { api, events, refreshes, refreshElsewhere, name } = await signedIn();
      const stopTelling = tellLater(name, { event: 'TOKEN_REFRESHED', session: await refreshElsewhere() }, 2000);
      try {
        expect(await api.tasks.list()).toEqual({ items: [], nextCursor: null });
      } finally {
        stopTelling();
      }
      expect(refreshes().map((request) => request.body)).toEqual([{ refreshToken: 'refresh-1' }]); // the other tab's
      expect(api.auth.session()?.accessToken).toBe('access-2');
      expect(events).toEqual(['TOKEN_REFRESHED']);
    });

    /**
     * Another tab takes the lock and does `elsewhere`; meanwhile `call` starts here and queues for the
     * lock. That tab tells what it did before it lets go, but the news reaches this tab a second later.
     */
    async function queuedBehindOtherTab<T>(
      name: string,
      elsewhere: () => Promise<{ event: string; session: unknown }>,
      call: () => Promise<T>,
    ): Promise<{ ok?: T; error?: unknown }> {
      const locks = webLocks();
      vi.stubGlobal('navigator', { locks });
      let release = () => {};
      const otherTabDone = locks.request(name, () => new Promise<void>((resolve) => (release = resolve)));
      const news = await elsewhere();
      const settled = call().then(
        (ok) => ({ ok }),
        (error) => ({ error }),
      );
      await expect.poll(() => locks.pending(name)).toBe(2); // the other tab holds the lock; this one waits
      const stopTelling = tellLater(name, news, 1000);
      release();
      try {
        return await settled;
      } finally {
        stopTelling();
        await otherTabDone;
      }
    }

    it('this tab queued for the lock behind it and still reads the old token: it waits for the news, no refresh of its own', async () => {
      const { api, events, refreshes, refreshElsewhere, name } = await signedIn();
      const listing = await queuedBehindOtherTab(
        name,
        async () => ({ event: 'TOKEN_REFRESHED', session: await refreshElsewhere(false) }),
        () => api.tasks.list(),
      );
      expect(listing).toEqual({ ok: { items: [], nextCursor: null } });
      expect(refreshes().map((request) => request.body)).toEqual([{ refreshToken: 'refresh-1' }]); // the other tab's
      expect(api.auth.session()?.accessToken).toBe('access-2');
      expect(events).toEqual(['TOKEN_REFRESHED']);
    });

    it('the tab ahead in the queue signed out: the news ends the wait at once, and the call is refused', async () => {
      // The session was revoked: the old token this tab still reads is refused too.
      const { api, events, expire, name } = await signedIn([problem(401, 'UNAUTHENTICATED')]);
      expire();
      const started = Date.now();
      const listing = await queuedBehindOtherTab(
        name,
        async () => ({ event: 'SIGNED_OUT', session: null }),
        () => api.tasks.list(),
      );
      expect(listing.error).toMatchObject({ status: 401 });
      expect(Date.now() - started).toBeLessThan(4000); // not the 5-second bound for a refresh's news
      expect(api.auth.session()).toBeNull();
      expect(events).toEqual(['SIGNED_OUT']);
    });

    it('where no tab can tell of it (no BroadcastChannel): this tab refreshes at once with the stored token', async () => {
      vi.stubGlobal('BroadcastChannel', undefined);
      const { api, refreshes, refreshElsewhere } = await signedIn();
      await refreshElsewhere();
      const started = Date.now();
      expect(await api.tasks.list()).toEqual({ items: [], nextCursor: null });
      // Waiting for news that cannot come would take the 5-second bound.
      expect(Date.now() - started).toBeLessThan(4000);
      expect(refreshes().map((request) => request.body)).toEqual([
        { refreshToken: 'refresh-1' },
        { refreshToken: 'refresh-2' },
      ]);
      expect(api.auth.session()?.accessToken).toBe('access-3');
    });
  });
});
