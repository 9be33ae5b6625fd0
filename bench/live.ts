// `npm run bench:live [-- --sockets 1000 --fanout 20 --rounds 4 --per-round 50 --events 200]`
// Live updates under `wrangler dev` (real workerd, the user's Durable Object with the Hibernation API),
// against its own PostgreSQL and SQL-over-HTTP stand-in. Measures, in this order:
// - write latency with live on and off: POST /api/tasks for a user with one socket open against a user
//   that never took a live ticket, interleaved one request each. "Off" is what every user without a
//   socket gets: its writes' statements say nobody is watching, so the Worker makes no call to the
//   user's object;
// - write → event: one socket, each write sent only after the previous write's event arrived; from
//   sending the write to the event, and from its response to the event (the Worker starts the call to
//   the object before it returns the response, so the event can come first: a negative time);
// - many sockets on one user's object: the time to open them (a ticket each, then the upgrade), the RSS
//   of workerd processes before and after, and the fan-out of one write, from sending it to the first and
//   the last socket receiving its event.
// Sockets are the `ws` package's, in this one Node process: the last socket's time includes this
// process reading every socket's frame. Everything goes to bench/out/live.json (git-ignored).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { migrate, ROOT } from '../scripts/lib/migrations.ts';
import { startWranglerDev } from '../scripts/lib/wrangler-dev.ts';
import { startLocalPostgres } from '../tools/local-platform/local-postgres.ts';
import { startSqlOverHttpProcess } from '../tools/local-platform/sql-over-http-process.ts';
import { findWorkerd } from './proc-cpu.ts';

const { values } = parseArgs({
  options: {
    sockets: { type: 'string', default: '1000' },
    fanout: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '4' },
    'per-round': { type: 'string', default: '50' },
    events: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '20' },
  },
});
const SOCKETS = Number(values.sockets);
const FANOUT_WRITES = Number(values.fanout);
const ROUNDS = Number(values.rounds);
const PER_ROUND = Number(values['per-round']);
const EVENTS = Number(values.events);
/** Sockets opened at once (each a ticket, then an upgrade). */
const CONCURRENCY = Number(values.concurrency);
// Each user stays well under the task-write limit (600 per 60 s per user): every part has users of its
// own, and none writes more than EVENTS or ROUNDS × PER_ROUND (+ warm-up) times.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const byte = () => Math.floor(Math.random() * 256);
const randomIp = () => `10.${byte()}.${byte()}.${byte()}`;
const round2 = (n: number) => Math.round(n * 100) / 100;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const summary = (samples: number[]) => ({
  n: samples.length,
  p50: round2(percentile(samples, 50)),
  p99: round2(percentile(samples, 99)),
  max: round2(Math.max(...samples)),
});

/** VmRSS of a process, in MiB. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  return line ? round2(Number(line[1]) / 1024) : Number.NaN;
}

const dataDir = mkdtempSync(join(tmpdir(), 'task-api-bench-live-'));
const postgres = await startLocalPostgres({ dataDir, persistent: false });
await migrate(postgres.url, 'pipe');
const sqlOverHttp = await startSqlOverHttpProcess();
const worker = await startWranglerDev({
  APP_ENV: 'test',
  BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'),
  DATABASE_URL: postgres.url,
  LOCAL_DB_HTTP: `127.0.0.1:${sqlOverHttp.port}`,
  BCRYPT_COST: '4',
});
const workerd = findWorkerd(worker.pid, worker.port);
const opened: WebSocket[] = [];

async function send(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
  return fetch(`${worker.url}${path}`, {
    method,
    headers: {
      'CF-Connecting-IP': randomIp(),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function expectJson<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function signUp(): Promise<string> {
  const email = `bench-live-${Date.now()}-${randomBytes(4).toString('hex')}@example.test`;
  const session = await expectJson<{ accessToken: string }>(
    await send('POST', '/api/auth/signup', undefined, { email, password: 'bench live password' }),
    201,
  );
  return session.accessToken;
}

/** POST /api/tasks: when it was sent, when its answer was read whole, and the task's change number. */
async function write(token: string, title: string) {
  const sent = performance.now();
  const response = await send('POST', '/api/tasks', token, { title });
  await expectJson<unknown>(response, 201);
  return { sent, answered: performance.now() };
}

/** A socket of the user's session (a fresh ticket), past its `ready`; `onChange` gets each change's arrival. */
async function openSocket(token: string, onChange: (at: number, seq: number) => void): Promise<WebSocket> {
  const { url } = await expectJson<{ url: string }>(await send('POST', '/api/tasks/live/ticket', token), 201);
  const socket = new WebSocket(`${worker.url.replace('http', 'ws')}${url}`, {
    headers: { 'CF-Connecting-IP': randomIp() },
    perMessageDeflate: false,
  });
  opened.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (_, response) => reject(new Error(`upgrade answered ${response.statusCode}`)));
    socket.once('message', (data) => {
      if (String(data) === '{"type":"ready"}') resolve();
      else reject(new Error(`first message: ${data}`));
    });
  });
  socket.on('message', (data) => {
    const at = performance.now();
    const message = JSON.parse(String(data)) as { type: string; seq: number };
    if (message.type === 'change') onChange(at, message.seq);
  });
  socket.on('close', (code) => {
    if (code !== 1000 && code !== 1005) process.stderr.write(`a socket closed with ${code}\n`);
  });
  return socket;
}

async function waitFor(done: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  loadAverageAtStart: round2(loadavg()[0]),
  // Strings, not arrays: JSON.stringify's layout of a short array is not biome's.
  workerdPids: { worker: workerd.worker.join(','), proxy: workerd.proxy.join(',') },
};

try {
  // b. Write latency, live on (one socket) and off (none), interleaved one request each.
  const on = await signUp();
  const off = await signUp();
  let onEvents = 0;
  await openSocket(on, () => onEvents++);
  for (let i = 0; i < 20; i++) {
    await write(on, `warm-up ${i}`);
    await write(off, `warm-up ${i}`);
  }
  const latency = { on: [] as number[], off: [] as number[] };
  const roundDifference: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const inRound = { on: [] as number[], off: [] as number[] };
    for (let i = 0; i < PER_ROUND; i++) {
      // Alternate which goes first, so neither always follows the other's background notify.
      const order = i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const which of order) {
        const { sent, answered } = await write(which === 'on' ? on : off, `round ${round} write ${i}`);
        inRound[which].push(answered - sent);
      }
    }
    latency.on.push(...inRound.on);
    latency.off.push(...inRound.off);
    roundDifference.push(round2(percentile(inRound.on, 50) - percentile(inRound.off, 50)));
  }
  await waitFor(() => onEvents === 20 + ROUNDS * PER_ROUND, 'every write of the live user reached its socket');
  results.writeLatency = {
    on: summary(latency.on),
    off: summary(latency.off),
    p50DifferencePerRound: roundDifference.join(', '),
  };

  // c. Write → event, one socket, one write at a time.
  const single = await signUp();
  const arrived = new Map<number, number>();
  await openSocket(single, (at, seq) => arrived.set(seq, at));
  const toEvent: number[] = [];
  const afterAnswer: number[] = [];
  for (let seq = 1; seq <= EVENTS; seq++) {
    const { sent, answered } = await write(single, `event ${seq}`);
    await waitFor(() => arrived.has(seq), `the event of write ${seq}`, 10_000);
    toEvent.push((arrived.get(seq) as number) - sent);
    afterAnswer.push((arrived.get(seq) as number) - answered);
  }
  results.writeToEvent = { fromSent: summary(toEvent), fromAnswer: summary(afterAnswer) };

  // a. Many sockets on one user's object.
  const many = await signUp();
  await write(many, 'wakes the object');
  await sleep(2000);
  const rssBefore = { worker: workerd.worker.map(rssMiB).join(','), proxy: workerd.proxy.map(rssMiB).join(',') };
  const arrivals = new Map<number, number[]>();
  const onChange = (at: number, seq: number) => {
    const list = arrivals.get(seq);
    if (list) list.push(at);
    else arrivals.set(seq, [at]);
  };
  const openMs: number[] = [];
  const openStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < SOCKETS) {
        next++;
        const started = performance.now();
        await openSocket(many, onChange);
        openMs.push(performance.now() - started);
      }
    }),
  );
  const openAllMs = performance.now() - openStarted;
  await sleep(2000);
  const rssAfter = { worker: workerd.worker.map(rssMiB).join(','), proxy: workerd.proxy.map(rssMiB).join(',') };
  const first: number[] = [];
  const last: number[] = [];
  const answer: number[] = [];
  for (let i = 0; i < FANOUT_WRITES; i++) {
    const seq = i + 2; // seq 1 woke the object
    const { sent, answered } = await write(many, `fan-out ${i}`);
    await waitFor(() => (arrivals.get(seq)?.length ?? 0) >= SOCKETS, `the event of fan-out write ${i} on every socket`);
    const times = arrivals.get(seq) as number[];
    first.push(Math.min(...times) - sent);
    last.push(Math.max(...times) - sent);
    answer.push(answered - sent);
    await sleep(200);
  }
  results.manySockets = {
    sockets: SOCKETS,
    concurrency: CONCURRENCY,
    openAllSeconds: round2(openAllMs / 1000),
    openOneMs: summary(openMs),
    rssMiB: { before: rssBefore, after: rssAfter },
    fanOut: { writes: FANOUT_WRITES, answer: summary(answer), first: summary(first), last: summary(last) },
  };
  results.loadAverageAtEnd = round2(loadavg()[0]);
} finally {
  for (const socket of opened) socket.removeAllListeners('close').terminate();
  await worker.stop();
  await sqlOverHttp.close();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'live.json'), `${JSON.stringify(results, null, 2)}\n`);

const w = results.writeLatency as { on: ReturnType<typeof summary>; off: ReturnType<typeof summary> } & {
  p50DifferencePerRound: string;
};
const e = results.writeToEvent as Record<'fromSent' | 'fromAnswer', ReturnType<typeof summary>>;
const m = results.manySockets as {
  openAllSeconds: number;
  openOneMs: ReturnType<typeof summary>;
  rssMiB: Record<'before' | 'after', Record<'worker' | 'proxy', string>>;
  fanOut: Record<'answer' | 'first' | 'last', ReturnType<typeof summary>>;
};
const line = (label: string, s: ReturnType<typeof summary>) =>
  `  ${label}: p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms (n=${s.n})`;
console.log(
  [
    `load average ${results.loadAverageAtStart} at start, ${results.loadAverageAtEnd} at end`,
    `a. ${SOCKETS} sockets on one user's object (${CONCURRENCY} opening at a time):`,
    `  opened in ${m.openAllSeconds} s`,
    line('one socket (ticket + upgrade + ready)', m.openOneMs),
    `  workerd RSS, Worker: ${m.rssMiB.before.worker} → ${m.rssMiB.after.worker} MiB; dev proxy: ${m.rssMiB.before.proxy} → ${m.rssMiB.after.proxy} MiB`,
    line('fan-out, write sent → its answer', m.fanOut.answer),
    line('fan-out, write sent → first socket', m.fanOut.first),
    line('fan-out, write sent → last socket', m.fanOut.last),
    'b. POST /api/tasks, interleaved:',
    line('live on (one socket)', w.on),
    line('live off (never a ticket: no call to the object)', w.off),
    `  p50 on − off per round: ${w.p50DifferencePerRound} ms`,
    'c. write → event, one socket:',
    line('write sent → event', e.fromSent),
    line('write answered → event (below 0: the event came first)', e.fromAnswer),
  ].join('\n'),
);
