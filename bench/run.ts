// `npm run bench [-- --duration 3 --rounds 3 --users 10000 --tasks 1000000]`
// Drives the Worker under `wrangler dev` on loopback with autocannon. Its queries go over Neon's HTTP
// path to the local SQL-over-HTTP endpoint (tools/local-platform/sql-over-http.ts), as in production to
// Neon's proxy; the endpoint runs in a process of its own (tools/local-platform/sql-over-http-main.ts), so
// that it does not share an event loop with autocannon, which runs in this one. Prints, for each route:
// - requests/s as a ratio to GET /api/health/live (same Worker, no database), in the same run;
// - the p50 latency each route adds to that route, one request at a time (bench/one-at-a-time.ts);
// - the Worker's CPU time per request, read from /proc for the workerd process running it (wrangler dev
//   reports none), as a ratio to the no-database route; the same for the SQL-over-HTTP endpoint;
// then the same passes on the deployable bundle served by workerd alone (bench/workerd-direct.ts), to
// tell the Worker's own cost from wrangler dev's; statements per request as counted by PostgreSQL
// (pg_stat_statements); list latency before and after 1M more tasks; bundle and start-up. Writes
// bench/results.json.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrate, ROOT } from '../scripts/lib/migrations.ts';
import { seed } from '../scripts/lib/seed.ts';
import { startWranglerDev } from '../scripts/lib/wrangler-dev.ts';
import { quietWranglerEnv } from '../scripts/lib/wrangler-env.ts';
import { startLocalPostgres } from '../tools/local-platform/local-postgres.ts';
import { startSqlOverHttpProcess } from '../tools/local-platform/sql-over-http-process.ts';
import { oneAtATime, type SentRequest } from './one-at-a-time.ts';
import { cpuMs, findWorkerd } from './proc-cpu.ts';
import { startWorkerdDirect } from './workerd-direct.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    users: { type: 'string', default: '10000' },
    tasks: { type: 'string', default: '1000000' },
  },
});
const DURATION = Number(values.duration);
// Every pass is repeated ROUNDS times, the routes in turn within each round, and the tables show medians:
// on a small shared machine one pass can come out a third faster or slower than the next.
const ROUNDS = Number(values.rounds);
const SEED_USERS = Number(values.users);
const SEED_TASKS = Number(values.tasks);
const BASELINE = 'GET /api/health/live (no database)';
const REJECTED = 'GET /api/tasks rejected token (no database)';
const DIRECT_ROUTES = [
  BASELINE,
  'GET /api/tasks (page of 20)',
  'POST /api/tasks',
  'GET /api/tasks/:id',
  'PATCH /api/tasks/:id',
  REJECTED,
];
const randomIp = () =>
  `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** Mean latency (ms); from the one-at-a-time passes only. */
  mean?: number;
  requests: number;
  non2xx: number;
  /** CPU time of the workerd process running the Worker, per request (ms); null where /proc is unreadable. */
  workerCpuMs: number | null;
  /** The same for wrangler dev's proxy (a second workerd forwarding every request); not the Worker's. */
  proxyCpuMs: number | null;
  /** The same for the local SQL-over-HTTP endpoint's process (Neon's proxy in production). */
  sqlOverHttpCpuMs: number | null;
  /** PostgreSQL's execution time per request (pg_stat_statements, commit excluded); one-at-a-time passes. */
  postgresExecMs?: number;
}

/** Where the Worker runs: its URL and the processes whose CPU time is its own (and its dev proxy's). */
interface Runtime {
  base: string;
  worker: number[];
  proxy: number[];
}

interface BenchRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** A fresh client address per request (the per-network rate limits would answer 429 otherwise). */
  varyIp?: boolean;
  /** Bodies to rotate through, one per request (the per-account signin limit). */
  bodies?: string[];
}

/** The request as sent: with a fresh client address and a body from `bodies` where asked. */
function nextRequest(request: BenchRequest): SentRequest {
  if (!request.varyIp) return request;
  return {
    ...request,
    headers: { ...request.headers, 'CF-Connecting-IP': randomIp() },
    ...(request.bodies ? { body: request.bodies[Math.floor(Math.random() * request.bodies.length)] } : {}),
  };
}

/** Runs `pass`, then divides the CPU time each process spent meanwhile by the requests it served. */
async function withCpu(
  runtime: Runtime,
  pass: () => Promise<Omit<Measured, 'workerCpuMs' | 'proxyCpuMs' | 'sqlOverHttpCpuMs'>>,
): Promise<Measured> {
  const before = { worker: cpuMs(runtime.worker), proxy: cpuMs(runtime.proxy), sql: cpuMs([sqlOverHttp.pid]) };
  const result = await pass();
  const perRequest = (pids: number[], spent: number) =>
    pids.length > 0 && result.requests > 0 ? (cpuMs(pids) - spent) / result.requests : null;
  return {
    ...result,
    workerCpuMs: perRequest(runtime.worker, before.worker),
    proxyCpuMs: perRequest(runtime.proxy, before.proxy),
    sqlOverHttpCpuMs: perRequest([sqlOverHttp.pid], before.sql),
  };
}

/** Throughput: autocannon with `connections` concurrent connections for DURATION seconds. */
function measure(runtime: Runtime, request: BenchRequest, connections = 10): Promise<Measured> {
  return withCpu(runtime, async () => {
    const result = await autocannon({
      url: `${runtime.base}${request.path}`,
      connections,
      duration: DURATION,
      method: (request.method ?? 'GET') as 'GET',
      headers: request.headers,
      body: request.body,
      requests: request.varyIp
        ? [
            {
              setupRequest: (req: Record<string, any>) => {
                const { headers, body } = nextRequest(request);
                return { ...req, headers, ...(body === undefined ? {} : { body }) };
              },
            },
          ]
        : undefined,
    });
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
    };
  });
}

/** Total execution time (ms) of every statement run in the bench database so far (pg_stat_statements). */
async function postgresExecMs(): Promise<number> {
  const { rows } = await admin.query(
    `select coalesce(sum(total_exec_time), 0)::float8 as ms from pg_stat_statements
      where dbid = (select oid from pg_database where datname = 'bench')`,
  );
  return rows[0].ms as number;
}

/**
 * Latency with no queueing: one request at a time for DURATION seconds, timed to the microsecond, with
 * PostgreSQL's own execution time per request (so the latency a route adds can be split into parts).
 */
async function measureOneAtATime(runtime: Runtime, request: BenchRequest): Promise<Measured> {
  const execBefore = await postgresExecMs();
  const measured = await withCpu(runtime, async () => {
    const result = await oneAtATime(runtime.base, () => nextRequest(request), DURATION);
    return { ...result, rps: result.requests / DURATION };
  });
  return { ...measured, postgresExecMs: ((await postgresExecMs()) - execBefore) / measured.requests };
}

type RoundsOf = Record<string, Measured[]>;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** ROUNDS rounds; in each, every route once, in order: each route's passes, one per round. */
async function inRounds(
  routes: [string, BenchRequest, number?][],
  pass: (request: BenchRequest, connections?: number) => Promise<Measured>,
): Promise<RoundsOf> {
  const rounds: RoundsOf = {};
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, request, connections] of routes) {
      rounds[name] ??= [];
      rounds[name].push(await pass(request, connections));
    }
    process.stderr.write(`round ${round}/${ROUNDS}: ${routes.length} routes measured\n`);
  }
  return rounds;
}

/**
 * What waiting for a durable commit costs on this machine's disk: the same one-row insert, one at a
 * time on one connection, with synchronous_commit on (as the server runs) and off (no wait for the WAL
 * flush), alternating in blocks; the difference of the medians is the flush a write route waits for.
 */
async function durableCommitMs(url: string, rounds = 5, perBlock = 100): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const times: Record<'on' | 'off', number[]> = { on: [], off: [] };
  try {
    // An ordinary table: a temporary one writes no WAL, so its commits would wait for nothing.
    await client.query('create table commit_probe (id bigint generated always as identity, at timestamptz)');
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['on', 'off'] as const) {
        await client.query(`set synchronous_commit = ${mode}`);
        for (let i = 0; i < perBlock; i++) {
          const started = process.hrtime.bigint();
          await client.query('insert into commit_probe (at) values (now())');
          times[mode].push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
    }
    await client.query('drop table commit_probe');
  } finally {
    await client.end();
  }
  return median(times.on) - median(times.off);
}

const dataDir = mkdtempSync(join(tmpdir(), 'task-api-bench-'));
const postgres = await startLocalPostgres({
  dataDir,
  persistent: false,
  settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'top' },
});
const admin = new pg.Client({ connectionString: postgres.url });
await admin.connect();
await admin.query('create database bench');
const benchUrl = postgres.url.replace(/\/postgres$/, '/bench');
await migrate(benchUrl, 'pipe');
await admin.query('create extension if not exists pg_stat_statements');

// In its own process: in this one it would compete with autocannon for one event loop.
const sqlOverHttp = await startSqlOverHttpProcess();
const secret = randomBytes(32).toString('base64url');
const workerVars = (databaseUrl: string) => ({
  APP_ENV: 'development',
  BETTER_AUTH_SECRET: secret,
  DATABASE_URL: databaseUrl,
  LOCAL_DB_HTTP: `127.0.0.1:${sqlOverHttp.port}`,
  BCRYPT_COST: '12',
});

async function statementsPerRequest(send: () => Promise<Response>, count = 20): Promise<number> {
  await admin.query('select pg_stat_statements_reset()');
  for (let i = 0; i < count; i++) await (await send()).arrayBuffer();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { rows } = await admin.query(
    `select coalesce(sum(calls), 0)::int as calls from pg_stat_statements
      where dbid = (select oid from pg_database where datname = 'bench')`,
  );
  return rows[0].calls / count;
}

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  durationSeconds: DURATION,
  rounds: ROUNDS,
};
const worker = await startWranglerDev(workerVars(benchUrl));
const workerd = findWorkerd(worker.pid, worker.port);
const dev: Runtime = { base: worker.url, ...workerd };
results.workerd = {
  cpuSource: '/proc/<pid>/stat utime+stime of the workerd process running the Worker, over each pass, / requests',
  // Strings, not arrays: JSON.stringify's layout of a short array is not biome's.
  workerPids: workerd.worker.join(','),
  proxyPids: workerd.proxy.join(','),
};
results.sqlOverHttp = {
  cpuSource:
    '/proc/<pid>/stat utime+stime of the SQL-over-HTTP endpoint process (tools/local-platform/sql-over-http-main.ts), / requests',
  pid: sqlOverHttp.pid,
};
if (workerd.worker.length !== 1 || workerd.proxy.length !== 1)
  process.stderr.write(`workerd processes: ${JSON.stringify(workerd)} (expected one Worker, one proxy)\n`);
try {
  const base = dev.base;
  const json = { 'Content-Type': 'application/json' };
  const email = 'bench@example.test';
  const password = 'bench password 123';
  const signup = await fetch(`${base}/api/auth/signup`, {
    method: 'POST',
    headers: { ...json, 'CF-Connecting-IP': randomIp() },
    body: JSON.stringify({ email, password }),
  });
  const { accessToken, user } = (await signup.json()) as { accessToken: string; user: { id: string } };
  // Signin is limited to 10 per 60 s per account: the signin pass spreads over a few accounts.
  const signinBodies = [JSON.stringify({ email, password })];
  for (let i = 1; i < 8; i++) {
    const other = JSON.stringify({ email: `bench-${i}@example.test`, password });
    await fetch(`${base}/api/auth/signup`, {
      method: 'POST',
      headers: { ...json, 'CF-Connecting-IP': randomIp() },
      body: other,
    });
    signinBodies.push(other);
  }
  const auth = { Authorization: `Bearer ${accessToken}` };
  await admin.query('select 1');
  const benchDb = new pg.Client({ connectionString: benchUrl });
  await benchDb.connect();
  await benchDb.query(
    `insert into tasks (title, user_id, created_at, updated_at)
     select 'bench ' || i, $1, timestamp '2026-02-01' + i * interval '1 second', timestamp '2026-02-01' from generate_series(1, 100) i`,
    [user.id],
  );
  await seed(benchUrl, { users: 9, tasks: 900 }); // 1,000 tasks in total
  const { rows } = await benchDb.query('select id from tasks where user_id = $1 order by id limit 1', [user.id]);
  const taskId = rows[0].id as number;

  const routes: [string, BenchRequest, number?][] = [
    [BASELINE, { path: '/api/health/live' }],
    ['GET /api/health (a healthy check is reused 5 s per isolate)', { path: '/api/health', varyIp: true }],
    ['GET /api/tasks (page of 20)', { path: '/api/tasks?limit=20', headers: auth }],
    [
      'POST /api/tasks',
      { method: 'POST', path: '/api/tasks', headers: { ...auth, ...json }, body: JSON.stringify({ title: 'bench' }) },
    ],
    ['GET /api/tasks/:id', { path: `/api/tasks/${taskId}`, headers: auth }],
    [
      'PATCH /api/tasks/:id',
      {
        method: 'PATCH',
        path: `/api/tasks/${taskId}`,
        headers: { ...auth, ...json },
        body: JSON.stringify({ completed: true }),
      },
    ],
    [REJECTED, { path: '/api/tasks', headers: { Authorization: 'Bearer nope' } }],
    [
      'POST /api/auth/signin (bcrypt 12)',
      {
        method: 'POST',
        path: '/api/auth/signin',
        headers: json,
        body: signinBodies[0],
        bodies: signinBodies,
        varyIp: true,
      },
      2,
    ],
  ];
  // Warm-up: the first requests compile and cache in workerd; they are not what we measure.
  for (const [, request] of routes.slice(0, 6)) await measure(dev, request, 2).catch(() => undefined);
  results.throughput = await inRounds(routes, (request, connections) => measure(dev, request, connections));
  // Latency a route adds to the no-database route, one request at a time (no queueing in the numbers).
  results.oneConnection = await inRounds(routes.slice(0, 6), (request) => measureOneAtATime(dev, request));

  // The same routes on the deployable bundle served by workerd alone (bench/workerd-direct.ts): what the
  // Worker and its one round trip cost without wrangler dev's proxy, outbound interceptor and inspector.
  // Same database, secret and token. GET /api/health is left out: its rate-limit binding is not bound there.
  const direct = await startWorkerdDirect(workerVars(benchUrl));
  try {
    const runtime: Runtime = { base: direct.url, worker: [direct.pid], proxy: [] };
    const directRoutes = routes.filter(([name]) => DIRECT_ROUTES.includes(name));
    for (const [, request] of directRoutes) await measure(runtime, request, 2);
    results.workerdAlone = {
      throughput: await inRounds(directRoutes, (request) => measure(runtime, request)),
      oneConnection: await inRounds(directRoutes, (request) => measureOneAtATime(runtime, request)),
    };

    // Scaling: the same user's first page, one request at a time on workerd alone (the least noisy
    // place to see the database's share), before and after SEED_TASKS more tasks of other users.
    const list: [string, BenchRequest][] = [['list', { path: '/api/tasks?limit=20', headers: auth }]];
    const countTasks = async () => (await benchDb.query('select count(*)::int as n from tasks')).rows[0].n as number;
    const smallTotal = await countTasks();
    const small = (await inRounds(list, (request) => measureOneAtATime(runtime, request))).list;
    process.stderr.write(`seeding ${SEED_TASKS} tasks across ${SEED_USERS} users\n`);
    await seed(benchUrl, { users: SEED_USERS, tasks: SEED_TASKS });
    // Settle the server after the bulk load (autovacuum, dirty buffers) so the comparison is about the plan.
    await benchDb.query('vacuum (analyze) tasks');
    await benchDb.query('checkpoint');
    const largeTotal = await countTasks();
    const large = (await inRounds(list, (request) => measureOneAtATime(runtime, request))).list;
    const medians = (rounds: Measured[]) => ({
      p50: median(rounds.map((m) => m.p50)),
      postgresExecMs: median(rounds.map((m) => m.postgresExecMs ?? 0)),
    });
    results.scaling = {
      smallTotal,
      largeTotal,
      small,
      large,
      smallMedians: medians(small),
      largeMedians: medians(large),
    };
  } finally {
    await direct.stop();
  }
  results.durableCommitMs = await durableCommitMs(benchUrl);

  const send =
    (path: string, init: RequestInit = {}) =>
    () =>
      fetch(`${base}${path}`, init);
  results.statementsPerRequest = {
    'GET /api/health/live': await statementsPerRequest(send('/api/health/live')),
    'GET /api/health': await statementsPerRequest(send('/api/health')),
    'GET /api/tasks': await statementsPerRequest(send('/api/tasks', { headers: auth })),
    'POST /api/tasks': await statementsPerRequest(
      send('/api/tasks', { method: 'POST', headers: { ...auth, ...json }, body: '{"title":"s"}' }),
    ),
    'GET /api/tasks/:id': await statementsPerRequest(send(`/api/tasks/${taskId}`, { headers: auth })),
    'PATCH /api/tasks/:id': await statementsPerRequest(
      send(`/api/tasks/${taskId}`, { method: 'PATCH', headers: { ...auth, ...json }, body: '{"title":"p"}' }),
    ),
    'PUT /api/tasks/:id': await statementsPerRequest(
      send(`/api/tasks/${taskId}`, {
        method: 'PUT',
        headers: { ...auth, ...json },
        body: '{"title":"p","description":null,"completed":false}',
      }),
    ),
    'PATCH /api/tasks/:id/complete': await statementsPerRequest(
      send(`/api/tasks/${taskId}/complete`, { method: 'PATCH', headers: auth }),
    ),
    'GET /api/auth/me': await statementsPerRequest(send('/api/auth/me', { headers: auth })),
    'POST /api/auth/signin': await statementsPerRequest(
      () =>
        fetch(`${base}/api/auth/signin`, {
          method: 'POST',
          headers: { ...json, 'CF-Connecting-IP': randomIp() },
          body: JSON.stringify({ email, password }),
        }),
      5,
    ),
    'POST /api/auth/signup': await statementsPerRequest(
      () =>
        fetch(`${base}/api/auth/signup`, {
          method: 'POST',
          headers: { ...json, 'CF-Connecting-IP': randomIp() },
          body: JSON.stringify({ email: `s-${randomBytes(4).toString('hex')}@example.test`, password }),
        }),
      5,
    ),
    'rejected token': await statementsPerRequest(send('/api/tasks', { headers: { Authorization: 'Bearer nope' } })),
  };

  await benchDb.end();
} finally {
  await worker.stop();
}

// Bundle size and start-up, from wrangler itself.
const outdir = mkdtempSync(join(tmpdir(), 'task-api-bundle-'));
const dryRun = spawnSync(
  join(ROOT, 'node_modules', '.bin', 'wrangler'),
  ['deploy', '--dry-run', '--outdir', outdir, '--metafile', join(outdir, 'meta.json'), '--env', 'production'],
  {
    cwd: ROOT,
    encoding: 'utf8',
    env: quietWranglerEnv(),
  },
);
const sizes = dryRun.stdout.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
const meta = JSON.parse(readFileSync(join(outdir, 'meta.json'), 'utf8')) as {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
};
const byPackage: Record<string, number> = {};
for (const output of Object.values(meta.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const name = match ? match[1] : 'src (this project)';
    byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
  }
}
const startup = spawnSync(
  join(ROOT, 'node_modules', '.bin', 'wrangler'),
  ['check', 'startup', '--outfile', join(outdir, 'startup.cpuprofile')],
  {
    cwd: ROOT,
    encoding: 'utf8',
    env: quietWranglerEnv(),
  },
);
const active = startup.stdout.match(/Active: ([\d.]+) ms/);
results.bundle = {
  uploadKiB: Number(sizes?.[1]),
  gzipKiB: Number(sizes?.[2]),
  startupActiveMs: Number(active?.[1]),
  minifiedBytesByPackage: Object.fromEntries(
    Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10),
  ),
};
rmSync(outdir, { recursive: true, force: true });

await admin.end();
await sqlOverHttp.close();
await postgres.stop();
rmSync(dataDir, { recursive: true, force: true });

writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

// The tables: medians over the rounds; ratios and differences are taken within each round first.
const perRound = (rounds: Measured[], field: (m: Measured) => number | null | undefined) => {
  const values = rounds.map(field).filter((value): value is number => typeof value === 'number');
  return values.length === rounds.length ? values : null;
};
const fixed = (value: number | null, digits: number) => (value === null ? '' : value.toFixed(digits));
const range = (values: number[], digits: number) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

function printTable(title: string, throughput: RoundsOf, single: RoundsOf): void {
  const baseline = throughput[BASELINE];
  const baselineSingle = single[BASELINE];
  const rows = Object.entries(throughput).map(([name, rounds]) => {
    const ratios = rounds.map((m, i) => m.rps / baseline[i].rps);
    const alone = single[name];
    const added = alone?.map((m, i) => m.p50 - baselineSingle[i].p50);
    const cpu = perRound(rounds, (m) => m.workerCpuMs);
    const baseCpu = perRound(baseline, (m) => m.workerCpuMs);
    const cpuRatios = cpu && baseCpu ? cpu.map((value, i) => value / baseCpu[i]) : null;
    const medianOf = (list: Measured[] | undefined, field: (m: Measured) => number | null | undefined) => {
      const values = list ? perRound(list, field) : null;
      return values ? median(values) : null;
    };
    return [
      name,
      median(rounds.map((m) => m.rps)).toFixed(0),
      median(ratios).toFixed(2),
      range(ratios, 2),
      median(rounds.map((m) => m.p50)).toFixed(0),
      median(rounds.map((m) => m.p99)).toFixed(0),
      fixed(
        medianOf(alone, (m) => m.p50),
        2,
      ),
      added ? median(added).toFixed(2) : '',
      added ? range(added, 2) : '',
      fixed(cpu && median(cpu), 2),
      fixed(cpuRatios && median(cpuRatios), 2),
      fixed(
        medianOf(alone, (m) => m.workerCpuMs),
        2,
      ),
      fixed(
        medianOf(alone, (m) => m.sqlOverHttpCpuMs),
        2,
      ),
      fixed(
        medianOf(alone, (m) => m.postgresExecMs),
        2,
      ),
      fixed(
        medianOf(rounds, (m) => m.sqlOverHttpCpuMs),
        2,
      ),
      String(rounds.reduce((sum, m) => sum + m.non2xx, 0)),
    ];
  });
  const header = [
    'route',
    'req/s',
    'x no-DB',
    'x range',
    'p50 ms',
    'p99 ms',
    'p50 1 conn',
    '+ms vs no-DB',
    '+ms range',
    'CPU ms/req',
    'CPU x no-DB',
    'CPU 1 conn',
    'SQL CPU 1 conn',
    'PG exec 1 conn',
    'SQL CPU ms/req',
    'non-2xx',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}
printTable(
  `wrangler dev on loopback: autocannon, ${DURATION} s per pass, 10 connections unless noted; then one request at a time (p50 1 conn). Medians of ${ROUNDS} rounds; ratios to ${BASELINE}`,
  results.throughput as RoundsOf,
  results.oneConnection as RoundsOf,
);
const alone = results.workerdAlone as { throughput: RoundsOf; oneConnection: RoundsOf };
printTable(
  'The deployable bundle on workerd alone (no wrangler dev): the same passes',
  alone.throughput,
  alone.oneConnection,
);
console.log(
  '\nCPU ms/req: CPU time (user + system, /proc) of the workerd process running the Worker during the pass, divided by its requests; it includes workerd serving HTTP and fetch, not only JavaScript. CPU 1 conn: the same in the one-at-a-time pass.',
);
console.log(
  'SQL CPU ms/req: the same for the local SQL-over-HTTP endpoint (its own Node process, standing in for Neon’s proxy), over all requests of the pass.',
);
console.log(
  'SQL CPU 1 conn, PG exec 1 conn: per request in the one-at-a-time pass, the SQL-over-HTTP endpoint’s CPU time and PostgreSQL’s execution time (pg_stat_statements total_exec_time; the commit’s WAL flush is not in it).',
);
console.log(
  `Durable commit on this disk: ${(results.durableCommitMs as number).toFixed(2)} ms per one-row insert (median with synchronous_commit on − off, direct pg): part of what a write route adds.`,
);
console.log('\nStatements per request (pg_stat_statements):');
for (const [name, n] of Object.entries(results.statementsPerRequest as Record<string, number>))
  console.log(`  ${name}: ${n}`);
type ScalingMedians = { p50: number; postgresExecMs: number };
const scaling = results.scaling as {
  smallTotal: number;
  largeTotal: number;
  smallMedians: ScalingMedians;
  largeMedians: ScalingMedians;
};
const { smallMedians: before, largeMedians: after } = scaling;
console.log(
  `\nScaling (GET /api/tasks, first page, one request at a time on workerd alone, medians of ${ROUNDS} rounds): p50 ${before.p50.toFixed(2)} ms at ${scaling.smallTotal} tasks, ${after.p50.toFixed(2)} ms at ${scaling.largeTotal} tasks (ratio ${(after.p50 / before.p50).toFixed(2)}); PostgreSQL execution ${before.postgresExecMs.toFixed(2)} vs ${after.postgresExecMs.toFixed(2)} ms per request (ratio ${(after.postgresExecMs / before.postgresExecMs).toFixed(2)})`,
);
const bundle = results.bundle as {
  uploadKiB: number;
  gzipKiB: number;
  startupActiveMs: number;
  minifiedBytesByPackage: Record<string, number>;
};
console.log(
  `\nBundle: ${bundle.uploadKiB} KiB, gzip ${bundle.gzipKiB} KiB; start-up CPU (wrangler check startup, active): ${bundle.startupActiveMs} ms`,
);
for (const [name, bytes] of Object.entries(bundle.minifiedBytesByPackage))
  console.log(`  ${name}: ${(bytes / 1024).toFixed(1)} KiB`);
console.log('\nWritten to bench/results.json');
