// Live task changes (docs/API.md, Live updates): a WebSocket opened with a single-use ticket. After its
// `ready`, the changes feed read from the last number seen fills in what happened without a socket; then
// an event numbered last + 1 is applied, an older one ignored, and a skipped number (an event lost on
// its way) is read from the feed. Changes reach `onChange` one at a time, in order, each once. A closed
// socket is reopened after a backoff with jitter; where WebSockets fail (none in the runtime, or three
// connections in a row that never said ready, e.g. a proxy refusing them) the feed is polled meanwhile.
import type { Client } from 'openapi-fetch';
import type { components, paths } from '../openapi.js';
import { ApiError } from './errors.js';
import { send } from './send.js';

export type TaskChange = components['schemas']['TaskChange'];

export interface SubscribeOptions {
  /** The last `seq` the app applied (kept from before, e.g. in IndexedDB); 0 (default): everything. */
  since?: number;
  /** The feed forgot changes after `since` (410): drop the local copy; every task then comes again. */
  onResync?: () => void;
  /** Seconds between reads of the feed while WebSockets fail (default 15). */
  pollSeconds?: number;
  /** The WebSocket class (default: the runtime's); null to poll only. */
  WebSocket?: typeof WebSocket | null;
}

/**
 * The signed-in user's task changes, live; answers the function that stops them. They stop by
 * themselves when the session ends (`onAuth` tells of SIGNED_OUT, in this tab or another).
 */
export function subscribe(
  raw: Client<paths>,
  baseUrl: string,
  onAuth: (listener: (event: string) => void) => () => void,
  onChange: (change: TaskChange) => void,
  options: SubscribeOptions = {},
): () => void {
  const Socket = options.WebSocket === undefined ? globalThis.WebSocket : options.WebSocket;
  let last = options.since ?? 0;
  let stopped = false;
  let socket: WebSocket | undefined;
  /** Connections in a row that never said ready. */
  let failures = 0;
  let reconnect: ReturnType<typeof setTimeout> | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  // One thing at a time, in order: an event waits for the catch-up before it.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (work: () => unknown) => {
    queue = queue.then(work).catch(() => {}); // a failed read is done again at the next ready, poll or gap
  };

  function apply(change: TaskChange): void {
    if (change.seq <= last) return;
    last = change.seq;
    try {
      onChange(change);
    } catch (error) {
      (globalThis as any).reportError?.(error); // the app's bug must not stop the changes
    }
  }

  /** Reads the feed after the last number applied, page by page. */
  async function catchUp(): Promise<void> {
    for (let more = true; more && !stopped; ) {
      try {
        const { data } = await send(raw.GET('/api/tasks/changes', { params: { query: { since: last } } }));
        for (const change of data.changes) apply(change);
        more = data.hasMore;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 410)) throw error;
        last = 0;
        options.onResync?.();
      }
    }
  }

  function polling(on: boolean): void {
    clearInterval(poll);
    poll = on ? setInterval(() => enqueue(catchUp), (options.pollSeconds ?? 15) * 1000) : undefined;
    if (on) enqueue(catchUp);
  }

  function retry(soon: boolean): void {
    if (stopped) return;
    if (failures >= 3 && !poll) polling(true);
    // 0.5–1 × 1 s, 2 s, 4 s … 30 s, spread so that many clients do not return at the same moment.
    const seconds = (soon ? 1 : Math.min(30, 2 ** Math.min(failures, 5))) * (0.5 + Math.random() / 2);
    reconnect = setTimeout(connect, seconds * 1000);
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    if (!Socket) return polling(true);
    let url: URL;
    try {
      const { data } = await send(raw.POST('/api/tasks/live/ticket'));
      url = new URL(data.url, baseUrl);
    } catch (error) {
      // 401: the session is over (a refresh was tried); signing in again starts a new subscription.
      if (error instanceof ApiError && error.status === 401) return stop();
      failures++;
      return retry(false);
    }
    if (stopped) return;
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws: WebSocket;
    try {
      ws = new Socket(url.href);
    } catch {
      // Refused before any connection (a Content-Security-Policy without the ws: origin, say).
      failures++;
      return retry(false);
    }
    let ready = false;
    socket = ws;
    ws.addEventListener('message', (message) => {
      const { data } = message as MessageEvent;
      if (data === 'pong') return;
      const { type, ...event } = JSON.parse(data as string);
      if (type === 'ready') {
        ready = true;
        failures = 0;
        polling(false);
        enqueue(catchUp);
      } else if (type === 'change') {
        const change = event as TaskChange;
        enqueue(() => (change.seq > last + 1 ? catchUp() : apply(change)));
      }
    });
    ws.addEventListener('close', (closed) => {
      if (socket !== ws) return;
      socket = undefined;
      if (!ready) failures++;
      // 4401: the session ended (then SIGNED_OUT stops this first), or its end as the ticket knew it
      // passed: a new ticket, soon, says which.
      retry((closed as CloseEvent).code === 4401 && ready);
    });
  }

  const off = onAuth((event) => event === 'SIGNED_OUT' && stop());

  function stop(): void {
    off();
    stopped = true;
    clearTimeout(reconnect);
    clearInterval(poll);
    socket?.close(1000);
    socket = undefined;
  }

  void connect();
  return stop;
}
