// tasks.subscribe() of the client package against the real Worker under `wrangler dev` (its Durable
// Object, real WebSockets: Node's own WebSocket): the catch-up after ready, live changes in order and
// once each, a lost event filled from the feed, a reconnection that misses nothing, polling where
// WebSockets fail, and stopping.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskApi, type TaskChange } from '../../client/src/index.ts';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';
import { testWorkerBindings } from '../support/test-worker.ts';

const PASSWORD = 'client live password';
let worker: WranglerDev;
let clients = 0;

beforeAll(async () => {
  worker = await startWranglerDev(testWorkerBindings('client-live'));
}, 120_000);

afterAll(async () => {
  await worker?.stop();
});

function client() {
  const n = ++clients;
  return createTaskApi({
    baseUrl: worker.url,
    name: `client-live-${n}`,
    storage: 'memory',
    fetch: (request) => {
      request.headers.set('CF-Connecting-IP', `10.78.0.${n}`);
      return fetch(request);
    },
  });
}

const uniqueEmail = () => `live-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;

/** Two clients of one account: `here` subscribes, `elsewhere` writes (another tab, another device). */
async function account() {
  const email = uniqueEmail();
  const here = client();
  const elsewhere = client();
  await here.auth.signUp({ email, password: PASSWORD });
  await elsewhere.auth.signIn({ email, password: PASSWORD });
  return { here, elsewhere };
}

/** What the subscriber was told, and a way to wait until it has been told `count` changes. */
function recorder() {
  const changes: TaskChange[] = [];
  return {
    changes,
    onChange: (change: TaskChange) => changes.push(change),
    async until(count: number, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (changes.length < count) {
        if (Date.now() > deadline) throw new Error(`${changes.length} of ${count} changes: ${JSON.stringify(changes)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return changes;
    },
  };
}

const seqs = (changes: TaskChange[]) => changes.map((change) => change.seq);
const ids = (changes: TaskChange[]) => changes.map((change) => ('task' in change ? change.task.id : change.deleted.id));

/** Node's WebSocket, with a hand on the sockets the client opens: drop a message, or cut the line. */
function controlledSockets(dropChange?: (seq: number) => boolean) {
  const opened: WebSocket[] = [];
  // Typed loosely: this file's types are the Workers runtime's, the class is Node's.
  const NodeWebSocket = WebSocket as any;
  class Controlled extends NodeWebSocket {
    constructor(url: string) {
      super(url);
      opened.push(this as unknown as WebSocket);
    }
    addEventListener(type: string, listener: (event: any) => void): void {
      if (type !== 'message' || !dropChange) {
        super.addEventListener(type, listener);
        return;
      }
      super.addEventListener(type, (event: MessageEvent) => {
        const message = event.data === 'pong' ? {} : JSON.parse(event.data as string);
        if (message.type === 'change' && dropChange(message.seq)) return;
        listener(event);
      });
    }
  }
  return { Controlled: Controlled as unknown as typeof WebSocket, opened };
}

describe('tasks.subscribe', () => {
  it('first the tasks that exist (the feed from 0), then every change as it commits, in order, once each', async () => {
    const { here, elsewhere } = await account();
    const before = await elsewhere.tasks.create({ title: 'before subscribing' });
    const told = recorder();
    const stop = here.tasks.subscribe(told.onChange);
    expect(await told.until(1)).toEqual([{ seq: 1, task: before }]);
    const made = await elsewhere.tasks.create({ title: 'while subscribed' });
    const changed = await elsewhere.tasks.update(made.id, { title: 'changed' });
    await elsewhere.tasks.remove(before.id);
    await told.until(4);
    expect(told.changes.slice(1)).toEqual([
      { seq: 2, task: made },
      { seq: 3, task: changed },
      { seq: 4, deleted: { id: before.id } },
    ]);
    stop();
    await elsewhere.tasks.create({ title: 'after stopping' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(told.changes).toHaveLength(4);
  });

  it('since: only what came after the number the app already applied', async () => {
    const { here, elsewhere } = await account();
    await elsewhere.tasks.create({ title: 'one' });
    const two = await elsewhere.tasks.create({ title: 'two' });
    const told = recorder();
    const stop = here.tasks.subscribe(told.onChange, { since: 1 });
    expect(await told.until(1)).toEqual([{ seq: 2, task: two }]);
    stop();
  });

  it('an event lost on its way: the next one skips a number, and the feed fills the gap', async () => {
    const { here, elsewhere } = await account();
    const { Controlled } = controlledSockets((seq) => seq === 2);
    const told = recorder();
    const stop = here.tasks.subscribe(told.onChange, { WebSocket: Controlled });
    const first = await elsewhere.tasks.create({ title: 'first' });
    await told.until(1);
    const second = await elsewhere.tasks.create({ title: 'second (its event is lost)' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seqs(told.changes)).toEqual([1]);
    const third = await elsewhere.tasks.create({ title: 'third' });
    await told.until(3);
    expect(ids(told.changes)).toEqual([first.id, second.id, third.id]);
    expect(seqs(told.changes)).toEqual([1, 2, 3]);
    stop();
  });

  it('a dropped connection is reopened (a new ticket) and what happened meanwhile is read from the feed', async () => {
    const { here, elsewhere } = await account();
    const { Controlled, opened } = controlledSockets();
    const told = recorder();
    const stop = here.tasks.subscribe(told.onChange, { WebSocket: Controlled });
    await elsewhere.tasks.create({ title: 'one' });
    await told.until(1);
    opened[0].close(); // the line is cut
    await new Promise((resolve) => setTimeout(resolve, 100));
    const meanwhile = await elsewhere.tasks.create({ title: 'while disconnected' });
    await told.until(2);
    expect(told.changes[1]).toEqual({ seq: 2, task: meanwhile });
    expect(opened.length).toBe(2);
    const after = await elsewhere.tasks.create({ title: 'after reconnecting' });
    await told.until(3);
    expect(told.changes[2]).toEqual({ seq: 3, task: after });
    stop();
  });

  it('signing out stops it: no reconnection, no more changes', async () => {
    const { here, elsewhere } = await account();
    const told = recorder();
    here.tasks.subscribe(told.onChange);
    await elsewhere.tasks.create({ title: 'seen' });
    await told.until(1);
    await here.auth.signOut();
    await elsewhere.tasks.create({ title: 'not seen: signed out' });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // past a 4401's reconnection delay
    expect(told.changes).toHaveLength(1);
  });

  it('without WebSockets it polls the feed', async () => {
    const { here, elsewhere } = await account();
    const told = recorder();
    const stop = here.tasks.subscribe(told.onChange, { WebSocket: null, pollSeconds: 0.2 });
    const made = await elsewhere.tasks.create({ title: 'polled' });
    expect(await told.until(1)).toEqual([{ seq: 1, task: made }]);
    const changed = await elsewhere.tasks.complete(made.id);
    await told.until(2);
    expect(told.changes[1]).toEqual({ seq: 2, task: changed });
    stop();
  });

  it('when sockets never open (a proxy refusing them), it falls back to polling after three tries', async () => {
    const { here, elsewhere } = await account();
    let attempts = 0;
    class Refused extends EventTarget {
      constructor() {
        super();
        attempts++;
        setTimeout(() => this.dispatchEvent(Object.assign(new Event('close'), { code: 1006 })), 10);
      }
      close() {}
    }
    const told = recorder();
    const stop = here.tasks.subscribe(told.onChange, {
      WebSocket: Refused as unknown as typeof WebSocket,
      pollSeconds: 0.2,
    });
    const made = await elsewhere.tasks.create({ title: 'reached by polling' });
    expect(await told.until(1, 15_000)).toEqual([{ seq: 1, task: made }]);
    expect(attempts).toBeGreaterThanOrEqual(3);
    stop();
  }, 30_000);
});
