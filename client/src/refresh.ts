// One refresh for every tab of the origin. The tabs take turns under a Web Lock; inside it, a tab first
// checks whether it still needs to refresh at all: another tab may have refreshed while this one waited,
// and told it the new session (events.ts). Only then does it send the stored refresh token, re-read
// inside the lock. Without Web Locks the tabs may refresh at once with the same token, which is safe:
// the API answers the same token again within 10 s with the same new session.
//
// The lock orders the tabs, not what they read: Chromium serves each tab's localStorage from a copy in
// that tab's process, updated after the fact, so a tab that takes the lock from another can still read
// the token that tab has just rotated (CI saw two tabs refresh with one token). A tab that had to queue
// for the lock therefore waits for the news of the tab ahead, whatever its copy of the store says.
//
// The session ends only on a 401 from /api/auth/refresh. 429, 503, no answer and a timeout keep the
// refresh token: retried after Retry-After (retry.ts), then surfaced as a typed error.
import type { Client } from 'openapi-fetch';
import type { paths } from '../openapi.js';
import { ApiError } from './errors.js';
import { type RetryPolicy, retrying } from './retry.js';
import { send } from './send.js';
import type { SessionState } from './session.js';
import type { Store } from './storage.js';

/**
 * How long a tab waits inside the lock for the news of a session another tab has just stored. That tab
 * tells before it lets go of the lock, so the news is on its way and the wait ends when it arrives; the
 * bound matters only if that tab closed in between. It is generous because a busy machine can hold a
 * message back for over a second, and a tab that stops waiting too soon rotates the session again.
 */
const NEWS_MS = 5000;

export interface RefreshOptions {
  name: string;
  key: string;
  store: Store;
  state: SessionState;
  anonymous: Client<paths>;
  retry: RetryPolicy;
  /** A refresh holds every tab's lock: it must not hang (ms). */
  timeoutMs: number;
}

/**
 * Makes sure this tab has a session newer than the access token `refused` (omitted: any session).
 * Answers false when there is none to be had (nothing stored: signed out); throws a typed error when
 * the refresh failed.
 */
export function createRefresh(options: RefreshOptions): (refused?: string) => Promise<boolean> {
  const { name, key, store, state } = options;
  const renewed = () => state.current !== null && state.current.accessToken !== refusedToken;
  let refusedToken: string | undefined;
  let running: Promise<boolean> | null = null;

  /** `queued`: another tab held the lock when this one asked for it. */
  async function underLock(before: string | null, queued: boolean): Promise<boolean> {
    let token = await store.get(key);
    if (renewed()) return true;
    if (token && (queued || token !== before || (state.known && token !== state.known))) {
      // Another tab went first, or stored a token since this one last looked: its session is (about to
      // be) broadcast.
      await state.nextNews(NEWS_MS);
      if (renewed()) return true;
      token = await store.get(key);
    }
    if (!token) {
      await state.end(null);
      return false;
    }
    try {
      const { data } = await retrying(options.retry, () =>
        send(
          options.anonymous.POST('/api/auth/refresh', {
            body: { refreshToken: token },
            signal: AbortSignal.timeout(options.timeoutMs),
          }),
        ),
      );
      await state.keep('TOKEN_REFRESHED', data);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) await state.end(token);
      throw error;
    }
  }

  return (refused) => {
    // Calls in this tab while one runs share it (they all wait for the same new token).
    running ??= (async () => {
      refusedToken = refused;
      const before = await store.get(key);
      const locks = (globalThis as any).navigator?.locks;
      if (!locks) return underLock(before, false);
      return locks.request(name, { ifAvailable: true }, (free: unknown) =>
        free ? underLock(before, false) : locks.request(name, () => underLock(before, true)),
      );
    })().finally(() => {
      running = null;
    });
    return running;
  };
}
