// `npm run bench:cpu [-- --rounds 7 --requests 500 --block 50 --warmup 200 --baseline <git ref>]`
// Worker CPU per request, measured from outside, with the database's answers taken out of the comparison.
// Five (six) Workers, each served by workerd alone (bench/workerd-direct.ts), each in a workerd process of its own:
// - floor: one fetch to the SQL endpoint, JSON.parse, a JSON answer (bench/peers/floor.ts);
// - neon-alone: the same statement through `neon()` (bench/peers/neon-alone.ts);
// - peer: a minimal Hono + drizzle-orm/neon-http + jose app, jwtVerify per request (bench/peers/peer.ts);
// - project: this project's deployable bundle (`wrangler deploy --dry-run`), real bindings, a real token;
//   its user has no live socket (no ticket: live_until is -infinity), so a write calls no Durable Object;
// - project-watched: the same bundle for a user who may have a socket open (live_until ahead), so every
//   write also calls the user's live-updates object (answers captured apart, bench/sql-answers.ts);
// - baseline (with --baseline <ref>): the same, bundled from an earlier commit, for before/after in one run.
// Writes include what the project does beyond the peer: the per-user write limit, and for project-watched
// the live-updates notify (a call to the user's Durable Object after the response, in the same workerd
// process).
// The peers are bundled by esbuild as wrangler bundles (minified, same target, conditions and defines).
//
// Every Worker's DATABASE_URL goes to one small local server (bench/sql-answers.ts). First it forwards to
// the real local endpoint (tools/local-platform/sql-over-http.ts) and an embedded PostgreSQL holding one
// signed-in user with 10 tasks and a live session, and keeps the first answer to each statement: each
// Worker's own statements, sent once per route. Then PostgreSQL and the endpoint are stopped and every
// statement is answered from what was kept, the same bytes every time: no database work is left in the
// passes, and the floor, neon-alone and peer, whose statements are the same text, get the same answer.
//
// A pass sends one route to one Worker N times, one request at a time on one kept-alive connection, and
// divides the workerd process's CPU time over the pass (all its threads, the scheduler's nanosecond
// accounting: bench/proc-cpu.ts threadCpuMs) by N. In each of the rounds every route gets one pass per
// Worker, and the passes are interleaved: the Workers take turns (floor, neon-alone, peer, project,
// floor, …) in blocks of 50 requests, so they share the same seconds of a machine whose speed changes from
// one second to the next. Ratios are taken within each round, then the median and range over the rounds
// are printed, with the CPU time per request itself. Writes
// bench/out/cpu.json.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { SignJWT } from 'jose';
import pg from 'pg';
import { migrate, ROOT } from '../scripts/lib/migrations.ts';
import { startLocalPostgres } from '../tools/local-platform/local-postgres.ts';
import { startSqlOverHttp } from '../tools/local-platform/sql-over-http.ts';
import { cpuMs, threadCpuMs } from './proc-cpu.ts';
import { type SqlAnswers, startSqlAnswers } from './sql-answers.ts';
import { serveOnWorkerd, startWorkerdDirect, type WorkerdDirect } from './workerd-direct.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '200' },
    block: { type: 'string', default: '50' },
    // A git commit (or branch) whose project bundle is measured beside today's, in the same rounds.
    baseline: { type: 'string' },
  },
});
const BASELINE = values.baseline;
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const BLOCK = Number(values.block);

type WorkerName = 'floor' | 'neon-alone' | 'peer' | 'project' | 'project-watched' | 'baseline';
const WORKERS: WorkerName[] = [
  'floor',
  'neon-alone',
  'peer',
  'project',
  'project-watched',
  ...(BASELINE ? ['baseline' as const] : []),
];
const ROUTES = [
  'GET /api/health/live',
  'GET /api/tasks?limit=10',
  'GET /api/tasks/:id',
  'POST /api/tasks',
  'PATCH /api/tasks/:id',
] as const;
type RouteName = (typeof ROUTES)[number];

interface BenchRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Served {
  name: WorkerName;
  workerd: WorkerdDirect;
  /** The answer server its SQL goes to. */
  answers: SqlAnswers;
  agent: Agent;
  bundleBytes: number;
}

interface Pass {
  /** CPU ms per request: the workerd process's threads (schedstat, ns), over the pass, / requests. */
  cpuMs: number;
  /** The same from /proc/<pid>/stat utime+stime (whole clock ticks: coarse, for a cross-check). */
  tickCpuMs: number;
  /** Wall time per request (ms), one at a time, as the bench's client sees it. */
  wallMs: number;
  non2xx: number;
  /** Statements the answer server had no captured answer for (must be 0). */
  misses: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

/** One request on the Worker's kept-alive connection; resolves with the status once the body is read. */
function send(served: Served, request: BenchRequest): Promise<number> {
  const base = new URL(served.workerd.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        agent: served.agent,
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.path,
        headers: {
          ...request.headers,
          ...(request.body ? { 'Content-Length': Buffer.byteLength(request.body) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => {
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299)
            lastFailure = `${served.name} ${request.method} ${request.path}: ${status} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`;
          resolve(status);
        });
        response.once('error', reject);
      },
    );
    outgoing.once('error', reject);
    outgoing.end(request.body);
  });
}
let lastFailure = '';

/** esbuild as wrangler runs it for `wrangler deploy` of this project (minified, names not kept). */
async function bundlePeer(entry: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-peer-'));
  await build({
    entryPoints: [join(ROOT, 'bench', 'peers', entry)],
    outfile: join(dir, 'index.js'),
    bundle: true,
    format: 'esm',
    target: 'es2024',
    supported: { 'import-source': true, using: true },
    conditions: ['workerd', 'worker', 'browser'],
    minify: true,
    keepNames: false,
    define: {
      'navigator.userAgent': '"Cloudflare-Workers"',
      'process.env.NODE_ENV': '"production"',
      'global.process.env.NODE_ENV': '"production"',
      'globalThis.process.env.NODE_ENV': '"production"',
    },
    logLevel: 'warning',
  });
  return dir;
}

/** A detached worktree of `ref` sharing this checkout's node_modules, to bundle an earlier version. */
function checkoutOf(ref: string): { dir: string; remove(): void } {
  const dir = join(mkdtempSync(join(tmpdir(), 'task-api-baseline-')), 'checkout');
  const git = (...args: string[]) => {
    const run = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr}`);
  };
  git('worktree', 'add', '--detach', dir, ref);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => git('worktree', 'remove', '--force', dir) };
}

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// --- The database, once: one user, a live session, 10 tasks. -------------------------------------------
const dataDir = mkdtempSync(join(tmpdir(), 'task-api-bench-cpu-'));
const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(dataDir, { recursive: true, force: true })];
const served: Served[] = [];
let postgresStopped = false;
const results: Record<string, unknown> = {};
try {
  log('starting PostgreSQL and migrating');
  const postgres = await startLocalPostgres({ dataDir, persistent: false });
  cleanups.unshift(async () => {
    if (!postgresStopped) await postgres.stop();
  });
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('create database bench_cpu');
  await admin.end();
  const databaseUrl = postgres.url.replace(/\/postgres$/, '/bench_cpu');
  await migrate(databaseUrl, 'pipe');
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const userId = randomUUID();
  const sessionId = randomUUID();
  await db.query('insert into users (id) values ($1)', [userId]);
  await db.query(
    `insert into sessions (id, user_id, refresh_token_hash, idle_expires_at, expires_at)
     values ($1, $2, $3, now() + interval '7 days', now() + interval '30 days')`,
    [sessionId, userId, randomBytes(32).toString('hex')],
  );
  const { rows: taskRows } = await db.query(
    `insert into tasks (title, description, completed, user_id, created_at, updated_at)
     select 'Task number ' || i, case when i % 2 = 0 then 'Some details about task ' || i end, i % 3 = 0, $1,
            timestamp '2026-11-01 09:00' + i * interval '1 minute 1.234567 second',
            timestamp '2026-11-01 09:00' + i * interval '1 minute 1.234567 second'
       from generate_series(1, 10) i
     returning id`,
    [userId],
  );
  const taskId = String(taskRows[0].id);
  /** The user may have a live socket open (a ticket's session end ahead), or has none. */
  const setWatched = (watched: boolean) =>
    db.query(
      `insert into user_change_counters (user_id, last_seq, live_until) values ($1, 0, $2::timestamptz)
       on conflict (user_id) do update set live_until = excluded.live_until`,
      [userId, watched ? 'infinity' : '-infinity'],
    );

  // --- The Workers. ---------------------------------------------------------------------------------------
  const standIn = await startSqlOverHttp();
  let standInClosed = false;
  cleanups.unshift(async () => {
    if (!standInClosed) await standIn.close();
  });
  const answers = await startSqlAnswers();
  cleanups.unshift(() => answers.close());
  answers.record(standIn.endpoint);
  // project-watched sends the same statements as project, answered with the user's live_until ahead.
  const watchedAnswers = await startSqlAnswers();
  cleanups.unshift(() => watchedAnswers.close());
  watchedAnswers.record(standIn.endpoint);

  const secret = randomBytes(32).toString('base64url');
  const token = await new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('2h')
    .setIssuer('task-api')
    .setAudience('task-api')
    .sign(new TextEncoder().encode(secret));

  const peerVars = { DATABASE_URL: databaseUrl, SQL_HTTP: answers.hostPort };
  const benchIds = { BENCH_USER_ID: userId, BENCH_TASK_ID: taskId };
  log(`${elapsed()}: bundling the peers (esbuild) and the project (wrangler deploy --dry-run)`);
  const startServed = async (name: WorkerName, workerd: Promise<WorkerdDirect>, from = answers) => {
    const running = await workerd;
    cleanups.unshift(() => running.stop());
    served.push({
      name,
      workerd: running,
      answers: from,
      agent: new Agent({ keepAlive: true, maxSockets: 1 }),
      bundleBytes: statSync(running.bundle).size,
    });
  };
  await startServed('floor', serveOnWorkerd(await bundlePeer('floor.ts'), { ...peerVars, ...benchIds }));
  await startServed('neon-alone', serveOnWorkerd(await bundlePeer('neon-alone.ts'), { ...peerVars, ...benchIds }));
  await startServed('peer', serveOnWorkerd(await bundlePeer('peer.ts'), { ...peerVars, BETTER_AUTH_SECRET: secret }));
  const projectVars = {
    APP_ENV: 'development',
    BETTER_AUTH_SECRET: secret,
    DATABASE_URL: databaseUrl,
    LOCAL_DB_HTTP: answers.hostPort,
    BCRYPT_COST: '12',
  };
  await startServed('project', startWorkerdDirect(projectVars));
  await startServed(
    'project-watched',
    startWorkerdDirect({ ...projectVars, LOCAL_DB_HTTP: watchedAnswers.hostPort }),
    watchedAnswers,
  );
  if (BASELINE) {
    const checkout = checkoutOf(BASELINE);
    cleanups.unshift(async () => checkout.remove());
    await startServed('baseline', startWorkerdDirect(projectVars, { root: checkout.dir }));
  }

  const auth = { Authorization: `Bearer ${token}` };
  const json = { ...auth, 'Content-Type': 'application/json' };
  const requests: Record<RouteName, BenchRequest> = {
    'GET /api/health/live': { method: 'GET', path: '/api/health/live', headers: {} },
    'GET /api/tasks?limit=10': { method: 'GET', path: '/api/tasks?limit=10', headers: auth },
    'GET /api/tasks/:id': { method: 'GET', path: `/api/tasks/${taskId}`, headers: auth },
    // The same body every time (the peers' statements carry its values as parameters; the answer is fixed).
    'POST /api/tasks': { method: 'POST', path: '/api/tasks', headers: json, body: '{"title":"bench"}' },
    'PATCH /api/tasks/:id': {
      method: 'PATCH',
      path: `/api/tasks/${taskId}`,
      headers: json,
      body: '{"completed":true}',
    },
  };

  // --- Capture: each Worker's statements for each route, answered once by PostgreSQL. -----------------
  // Route by route (list before create), so every list answer is of the same 10 tasks.
  log(`${elapsed()}: capturing each Worker's answers from PostgreSQL`);
  const statementsOf: Record<string, Record<string, string[]>> = {};
  for (const route of ROUTES) {
    for (const worker of served) {
      const keys: string[] = [];
      worker.answers.onStatement = (key) => keys.push(key);
      if (worker.name === 'project-watched') await setWatched(true);
      const status = await send(worker, requests[route]);
      if (worker.name === 'project-watched') await setWatched(false);
      worker.answers.onStatement = undefined;
      if (status < 200 || status > 299) throw new Error(`capture failed: ${lastFailure}`);
      statementsOf[worker.name] ??= {};
      statementsOf[worker.name][route] = keys;
    }
  }
  // The floor, neon-alone and the peer must have sent the same statement text (array or object rows aside).
  const text = (key: string) => key.slice(key.indexOf('\n') + 1);
  for (const route of ROUTES.slice(1)) {
    const [floor, neon, peer] = WORKERS.slice(0, 3).map((name) => statementsOf[name][route].map(text).join('\n;\n'));
    if (!(floor === neon && neon === peer))
      throw new Error(
        `${route}: the floor, neon-alone and the peer sent different statements:\n${floor}\n${neon}\n${peer}`,
      );
  }
  const captured = Object.fromEntries(
    WORKERS.map((name) => [
      name,
      Object.fromEntries(
        ROUTES.map((route) => [
          route,
          statementsOf[name][route].map((key) => {
            const kept = served
              .find((worker) => worker.name === name)
              ?.answers.kept()
              .get(key);
            const answer = JSON.parse(kept ?? 'null') as {
              rowCount: number;
              fields: { name: string }[];
              rowAsArray: boolean;
            } | null;
            return {
              statement: text(key),
              rowAsArray: answer?.rowAsArray,
              rowCount: answer?.rowCount,
              columns: answer?.fields.map((field) => field.name).join(', '),
              answerBytes: Buffer.byteLength(kept ?? ''),
            };
          }),
        ]),
      ),
    ]),
  );
  results.captured = captured;
  for (const name of WORKERS) {
    const list = (captured[name] as Record<string, { rowCount?: number; answerBytes: number }[]>)[
      'GET /api/tasks?limit=10'
    ];
    log(
      `  ${name}: ${ROUTES.slice(1)
        .map((route) => `${route.split(' ')[0]} ${statementsOf[name][route].length} stmt`)
        .join(', ')}; list answer ${list[0]?.rowCount} rows, ${list[0]?.answerBytes} bytes`,
    );
  }

  // From here on no database: every statement is answered from the captured answers.
  answers.replay();
  watchedAnswers.replay();
  await db.end();
  await standIn.close();
  standInClosed = true;
  await postgres.stop();
  postgresStopped = true;

  // --- Warm-up, then the rounds. ---------------------------------------------------------------------
  /** `count` requests of the route to the Worker, one at a time; CPU and wall time are added to `into`. */
  async function block(worker: Served, route: RouteName, count: number, into: Pass): Promise<void> {
    const pid = worker.workerd.pid;
    const missesBefore = worker.answers.misses();
    const ticksBefore = cpuMs([pid]);
    const before = threadCpuMs(pid);
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const status = await send(worker, requests[route]);
      if (status < 200 || status > 299) into.non2xx += 1;
    }
    const wall = performance.now() - t0;
    const after = threadCpuMs(pid);
    const ticksAfter = cpuMs([pid]);
    if (before === null || after === null) throw new Error('cannot read /proc/<pid>/task/*/schedstat');
    into.cpuMs += after - before;
    into.tickCpuMs += ticksAfter - ticksBefore;
    into.wallMs += wall;
    into.misses += worker.answers.misses() - missesBefore;
  }

  /**
   * One pass of the route for every Worker: REQUESTS each, sent in blocks of BLOCK that take turns
   * (floor, neon-alone, peer, project, floor, …), so that the passes of a round cover the same
   * seconds of a machine whose speed changes from one second to the next. Per request.
   */
  async function passes(route: RouteName, count: number): Promise<Record<WorkerName, Pass>> {
    const totals = Object.fromEntries(
      served.map((worker) => [worker.name, { cpuMs: 0, tickCpuMs: 0, wallMs: 0, non2xx: 0, misses: 0 }]),
    ) as Record<WorkerName, Pass>;
    for (let sent = 0; sent < count; sent += BLOCK) {
      for (const worker of served) await block(worker, route, Math.min(BLOCK, count - sent), totals[worker.name]);
    }
    for (const pass of Object.values(totals)) {
      pass.cpuMs /= count;
      pass.tickCpuMs /= count;
      pass.wallMs /= count;
    }
    return totals;
  }

  log(`${elapsed()}: warming up (${WARMUP} requests per Worker and route)`);
  for (const route of ROUTES) await passes(route, WARMUP);
  const idleBefore = served.map((worker) => threadCpuMs(worker.workerd.pid) ?? 0);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleMsPerSecond = Object.fromEntries(
    served.map((worker, i) => [worker.name, (threadCpuMs(worker.workerd.pid) ?? 0) - idleBefore[i]]),
  );

  const totalsBefore = served.map((worker) => ({
    sched: threadCpuMs(worker.workerd.pid) ?? 0,
    ticks: cpuMs([worker.workerd.pid]),
  }));
  const rounds = {} as Record<RouteName, Record<WorkerName, Pass[]>>;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const route of ROUTES) {
      rounds[route] ??= {} as Record<WorkerName, Pass[]>;
      const measured = await passes(route, REQUESTS);
      for (const name of WORKERS) {
        rounds[route][name] ??= [];
        rounds[route][name].push(measured[name]);
      }
    }
    log(`${elapsed()}: round ${round}/${ROUNDS} done (load average ${loadavg()[0].toFixed(2)})`);
  }
  // Whole-run cross-check of the two CPU sources (schedstat misses threads that exited; ticks are coarse).
  const cpuSourceCheck = Object.fromEntries(
    served.map((worker, i) => [
      worker.name,
      {
        schedstatMs: Math.round((threadCpuMs(worker.workerd.pid) ?? 0) - totalsBefore[i].sched),
        utimeStimeMs: Math.round(cpuMs([worker.workerd.pid]) - totalsBefore[i].ticks),
      },
    ]),
  );

  // --- The table. ------------------------------------------------------------------------------------
  const bad = Object.entries(rounds).flatMap(([route, byWorker]) =>
    Object.entries(byWorker)
      .filter(([, list]) => list.some((p) => p.non2xx > 0 || p.misses > 0))
      .map(
        ([name, list]) =>
          `${route} ${name}: ${list.reduce((s, p) => s + p.non2xx, 0)} non-2xx, ${list.reduce((s, p) => s + p.misses, 0)} unanswered statements`,
      ),
  );
  const summary: Record<string, Record<string, unknown>> = {};
  const rows: string[][] = [];
  const fmt = (value: number, digits = 3) => value.toFixed(digits);
  const span = (list: number[], digits: number) =>
    `${fmt(Math.min(...list), digits)}–${fmt(Math.max(...list), digits)}`;
  for (const route of ROUTES) {
    summary[route] = {};
    for (const name of WORKERS) {
      const list = rounds[route][name];
      const cpu = list.map((p) => p.cpuMs);
      const toFloor = list.map((p, i) => p.cpuMs / rounds[route].floor[i].cpuMs);
      const toPeer = list.map((p, i) => p.cpuMs / rounds[route].peer[i].cpuMs);
      summary[route][name] = {
        cpuMsMedian: median(cpu),
        cpuMsMin: Math.min(...cpu),
        cpuMsMax: Math.max(...cpu),
        xFloorMedian: median(toFloor),
        xFloorRange: { min: Math.min(...toFloor), max: Math.max(...toFloor) },
        xPeerMedian: median(toPeer),
        xPeerRange: { min: Math.min(...toPeer), max: Math.max(...toPeer) },
        wallMsMedian: median(list.map((p) => p.wallMs)),
        passes: list,
      };
      rows.push([
        route,
        name,
        fmt(median(cpu)),
        span(cpu, 3),
        fmt(median(toFloor), 2),
        span(toFloor, 2),
        fmt(median(toPeer), 2),
        span(toPeer, 2),
        fmt(median(list.map((p) => p.wallMs)), 2),
      ]);
    }
  }
  const header = [
    'route',
    'Worker',
    'CPU ms/req',
    'CPU range',
    'x floor',
    'x floor range',
    'x peer',
    'x peer range',
    'wall ms/req',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} at the end`;
  console.log(
    `\nWorker CPU per request on workerd alone, database answers replayed (bench/sql-answers.ts). ${REQUESTS} requests per pass, one at a time, the Workers taking turns every ${BLOCK}; medians and ranges of ${ROUNDS} rounds; ratios taken within each round. ${machine}.`,
  );
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  console.log(
    `\nBundles: ${served.map((w) => `${w.name} ${(w.bundleBytes / 1024).toFixed(1)} KiB`).join(', ')} (minified, before gzip).`,
  );
  console.log(
    `Idle workerd CPU over 1 s after the warm-up: ${Object.entries(idleMsPerSecond)
      .map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`)
      .join(', ')}.`,
  );
  console.log(
    `CPU sources over the rounds (schedstat vs utime+stime, ms): ${Object.entries(cpuSourceCheck)
      .map(([name, c]) => `${name} ${c.schedstatMs} vs ${c.utimeStimeMs}`)
      .join(', ')}.`,
  );
  if (bad.length)
    console.log(`\nFAILED requests (these passes are void):\n  ${bad.join('\n  ')}\n  last: ${lastFailure}`);

  Object.assign(results, {
    date: new Date().toISOString(),
    machine,
    rounds: ROUNDS,
    requestsPerPass: REQUESTS,
    requestsPerTurn: BLOCK,
    warmupPerRoute: WARMUP,
    cpuSource:
      'workerd process, all threads: /proc/<pid>/task/*/schedstat sum_exec_runtime (ns) over each pass / requests',
    bundleBytes: Object.fromEntries(served.map((w) => [w.name, w.bundleBytes])),
    idleMsPerSecond,
    cpuSourceCheck,
    // A string, not an array: JSON.stringify's layout of a short array is not biome's.
    failures: bad.join('; '),
    routes: summary,
  });
  mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'out', 'cpu.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWritten to bench/out/cpu.json (${elapsed()} in all)`);
  if (bad.length) process.exitCode = 1;
} finally {
  for (const worker of served) worker.agent.destroy();
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
}
