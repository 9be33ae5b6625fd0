// This tab's session: the access token in memory, the refresh token in the store. Every change is told
// to this tab's listeners and to the other tabs (events.ts), which adopt the same session, so one
// sign-in, refresh or sign-out serves them all.
import { type AuthEvent, type AuthMessage, crossTab, type Session } from './events.js';
import type { Store } from './storage.js';

export type AuthListener = (event: AuthEvent, session: Session | null) => void;

export type SessionState = ReturnType<typeof createSessionState>;

export function createSessionState(store: Store, key: string, name: string) {
  let current: Session | null = null;
  /** The refresh token this tab last stored, used or was told of: another one in the store is news. */
  let known: string | null = null;
  let arrived: (() => void) | undefined;
  const listeners = new Set<AuthListener>();

  function apply({ event, session }: AuthMessage): void {
    const before = current;
    current = session;
    known = session?.refreshToken ?? null;
    // A tab that had no session sees a refresh elsewhere as its own sign-in.
    const told = session ? (before || event !== 'TOKEN_REFRESHED' ? event : 'SIGNED_IN') : before && event;
    if (!told) return;
    for (const listener of listeners) {
      try {
        listener(told, session);
      } catch (error) {
        // One broken listener must not keep the others (or the client) from hearing of it.
        (globalThis as any).reportError?.(error);
      }
    }
  }

  const { tell, hearsSessions } = crossTab(name, store, key, (message) => {
    // Tabs racing without Web Locks can both refresh to the same session: told once is enough.
    if (message.session && JSON.stringify(message.session) === JSON.stringify(current)) return;
    apply(message);
    arrived?.(); // a sign-out ends the wait too: the tab then finds nothing to refresh with
  });

  return {
    get current() {
      return current;
    },
    get known() {
      return known;
    },

    onChange(listener: AuthListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** A new session (or the same one with new tokens or user) for this tab and the others. */
    async keep(event: AuthEvent, session: Session): Promise<void> {
      await store.set(key, session.refreshToken);
      apply({ event, session });
      tell({ event, session });
    },

    /**
     * Ends the session here, and in every tab when it is the stored one. `used` is the refresh token
     * that was refused (omitted for an explicit sign-out): when the store holds another, another tab
     * has signed in since, and that newer session must survive. The other tabs are told only when
     * this call removed the stored token: telling them otherwise could end a sign-in they just made.
     */
    async end(used?: string | null): Promise<void> {
      const stored = await store.get(key);
      const removed = stored !== null && (used === undefined || stored === used);
      if (removed) await store.remove(key);
      apply({ event: 'SIGNED_OUT', session: null });
      if (removed) tell({ event: 'SIGNED_OUT', session: null });
    },

    /** Resolves when another tab tells of a session or its end, or after `ms`; at once where none can be told. */
    nextNews(ms: number): Promise<void> {
      if (!hearsSessions) return Promise.resolve();
      return new Promise<void>((resolve) => {
        arrived = resolve;
        setTimeout(resolve, ms);
      }).finally(() => {
        arrived = undefined;
      });
    },
  };
}
