// Where the refresh token is kept. The access token never is: it lives in memory (session.ts).
// - 'local' (the default where it exists): localStorage, so a reload and every tab of the origin share
//   one session;
// - 'memory': this page only, gone on reload (nothing persists; tabs are independent);
// - any store with get/set/remove, sync or async (e.g. IndexedDB), shared like localStorage.

export interface AsyncStore {
  get(key: string): Promise<string | null> | string | null;
  set(key: string, value: string): Promise<void> | void;
  remove(key: string): Promise<void> | void;
}

export type StorageOption = 'local' | 'memory' | AsyncStore;

export interface Store extends AsyncStore {
  /** Other tabs see the same values: auth events go to them too. */
  shared: boolean;
  /** It is localStorage, whose `storage` event can stand in for a BroadcastChannel. */
  local?: boolean;
}

// The part of the DOM's Storage used here (declared so the package type-checks outside DOM typings too).
interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function resolveStore(option: StorageOption = 'local'): Store {
  if (typeof option === 'object') {
    return {
      get: (key) => option.get(key),
      set: (key, value) => option.set(key, value),
      remove: (key) => option.remove(key),
      shared: true,
    };
  }
  if (option === 'local') {
    try {
      // Reading localStorage throws where storage is blocked (some sandboxed frames, privacy settings).
      const local = (globalThis as { localStorage?: WebStorage }).localStorage;
      if (local) {
        return {
          get: (key) => local.getItem(key),
          set: (key, value) => local.setItem(key, value),
          remove: (key) => local.removeItem(key),
          shared: true,
          local: true,
        };
      }
    } catch {}
  }
  const memory = new Map<string, string>();
  return {
    get: (key) => memory.get(key) ?? null,
    set: (key, value) => void memory.set(key, value),
    remove: (key) => void memory.delete(key),
    shared: false,
  };
}
