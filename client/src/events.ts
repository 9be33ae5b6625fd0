// Auth events reach every tab of the origin. A BroadcastChannel carries the event with the session,
// access token included: that is how the other tabs get a refreshed token without refreshing themselves.
// The channel never leaves the origin, whose scripts can read the stored refresh token anyway.
// Without BroadcastChannel, localStorage's `storage` event on the refresh token's key stands in; it
// carries no session, so it tells the other tabs only that the session has ended (they pick up a new
// one with auth.restore()).
import type { components } from '../openapi.js';
import type { Store } from './storage.js';

export type Session = components['schemas']['Session'];
export type AuthEvent = 'SIGNED_IN' | 'TOKEN_REFRESHED' | 'SIGNED_OUT' | 'USER_UPDATED';

export interface AuthMessage {
  event: AuthEvent;
  session: Session | null;
}

export interface CrossTab {
  /** Tells the other tabs. */
  tell(message: AuthMessage): void;
  /** Sessions from other tabs reach this one (a BroadcastChannel): news worth waiting for. */
  hearsSessions: boolean;
}

/** Starts listening to the other tabs. */
export function crossTab(name: string, store: Store, key: string, receive: (message: AuthMessage) => void): CrossTab {
  const scope = globalThis as any;
  // A memory session is this page's alone: other tabs have sessions of their own, not to be touched.
  if (store.shared && scope.BroadcastChannel) {
    const channel = new scope.BroadcastChannel(name);
    channel.onmessage = (message: { data: AuthMessage }) => receive(message.data);
    channel.unref?.(); // Node only: an open channel must not keep a process (a test, a script) alive
    return { tell: (message) => channel.postMessage(message), hearsSessions: true };
  }
  if (store.local) {
    scope.addEventListener?.('storage', (change: { key: string | null; newValue: string | null }) => {
      // key null: the whole storage was cleared
      if ((change.key === key || change.key === null) && !change.newValue)
        receive({ event: 'SIGNED_OUT', session: null });
    });
  }
  return { tell: () => {}, hearsSessions: false };
}
