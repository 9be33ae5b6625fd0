// Where the client package keeps the session: the storage option (client/src/storage.ts) and what goes
// into it. localStorage is the browser's (Chromium: client-browser.test.ts); here a stand-in object on
// globalThis exercises the adapter, and sessions come from a small local fake of the API
// (test/support/client-fake-api.ts), since what is under test is the client's own bookkeeping.
import { afterEach, describe, expect, it } from 'vitest';
import { createTaskApi } from '../../client/src/index.ts';
import { resolveStore } from '../../client/src/storage.ts';
import { type FakeApi, fakeSession, startFakeApi } from '../support/client-fake-api.ts';

const scope = globalThis as { localStorage?: unknown };
let fake: FakeApi | undefined;

afterEach(async () => {
  delete scope.localStorage;
  await fake?.close();
  fake = undefined;
});

/** A fake API that signs in as session 1 and answers 204 to anything else. */
async function fakeApi(): Promise<string> {
  fake = await startFakeApi(({ path }) =>
    path === '/api/auth/signin' ? { status: 200, body: fakeSession(1) } : { status: 204 },
  );
  return fake.url;
}

describe('client storage', () => {
  it("'local' is localStorage, shared with the other tabs", () => {
    const items = new Map<string, string>();
    scope.localStorage = {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => items.set(key, value),
      removeItem: (key: string) => items.delete(key),
    };
    const store = resolveStore('local');
    store.set('k', 'v');
    expect(items.get('k')).toBe('v');
    expect(store.get('k')).toBe('v');
    store.remove('k');
    expect(items.has('k')).toBe(false);
    expect(store).toMatchObject({ shared: true, local: true });
    expect(resolveStore()).toMatchObject({ shared: true, local: true }); // the default
  });

  it("'local' where storage is blocked (reading it throws) or absent is this page's memory", () => {
    Object.defineProperty(scope, 'localStorage', {
      configurable: true,
      get() {
        throw new Error('SecurityError: access denied');
      },
    });
    const blocked = resolveStore('local');
    blocked.set('k', 'v');
    expect(blocked.get('k')).toBe('v');
    expect(blocked.shared).toBe(false);
    delete scope.localStorage;
    expect(resolveStore('local').shared).toBe(false);
  });

  it('a store of the app’s is used through its own methods (a class instance keeps its `this`)', async () => {
    class Vault {
      readonly values = new Map<string, string>();
      async get(key: string) {
        return this.values.get(key) ?? null;
      }
      async set(key: string, value: string) {
        this.values.set(key, value);
      }
      async remove(key: string) {
        this.values.delete(key);
      }
    }
    const vault = new Vault();
    const api = createTaskApi({ baseUrl: await fakeApi(), storage: vault, name: 'storage-vault' });
    await api.auth.signIn({ email: 'ada@example.test', password: 'a password' });
    // Only the refresh token is stored: the access token lives in memory.
    expect([...vault.values]).toEqual([['storage-vault.refreshToken', 'refresh-1']]);
    expect(JSON.stringify([...vault.values])).not.toContain('access-1');
    await api.auth.signOut();
    expect([...vault.values]).toEqual([]);
  });

  it("'memory' sessions are the page's own: a sign-out elsewhere in the process does not touch them", async () => {
    const baseUrl = await fakeApi();
    const one = createTaskApi({ baseUrl, storage: 'memory', name: 'storage-memory' });
    const other = createTaskApi({ baseUrl, storage: 'memory', name: 'storage-memory' });
    await one.auth.signIn({ email: 'ada@example.test', password: 'a password' });
    await other.auth.signIn({ email: 'ada@example.test', password: 'a password' });
    await one.auth.signOut();
    await new Promise((resolve) => setTimeout(resolve, 50)); // a broadcast, were there one, has arrived
    expect(one.auth.session()).toBeNull();
    expect(other.auth.session()?.refreshToken).toBe('refresh-1');
  });
});
