// `npm run bench:profile [-- --route list|get|create|patch|live --seconds 5]`
// Where a route's Worker CPU goes. The bundle is built unminified and served by workerd alone
// (bench/workerd-direct.ts) with its inspector open. The route is sent one request at a time; a V8 CPU
// profile is taken over the Chrome DevTools protocol and summed by the package each sampled line
// belongs to (esbuild marks every module in a readable bundle with a `// node_modules/…` or `// src/…`
// comment). It prints self time per request by package and the busiest functions, and writes the
// .cpuprofile (open it in Chrome DevTools, Performance tab) to the system's temporary folder.
// Sampling and the attached inspector make every number larger than without them (console.log is
// slowest, as it is then sent to the inspector): compare shares, not totals. A user is signed up through
// `wrangler dev` first, which binds the rate limiters that signup needs and workerd alone does not.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { freePort } from '../scripts/lib/free-port.ts';
import { migrate } from '../scripts/lib/migrations.ts';
import { startWranglerDev } from '../scripts/lib/wrangler-dev.ts';
import { startLocalPostgres } from '../tools/local-platform/local-postgres.ts';
import { startSqlOverHttpProcess } from '../tools/local-platform/sql-over-http-process.ts';
import { oneAtATime, type SentRequest } from './one-at-a-time.ts';
import { startWorkerdDirect } from './workerd-direct.ts';

const { values } = parseArgs({
  options: { route: { type: 'string', default: 'list' }, seconds: { type: 'string', default: '5' } },
});
const SECONDS = Number(values.seconds);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A minimal Chrome DevTools protocol client: one request at a time, answers matched by id. */
async function devtools(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let lastId = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve) => {
        lastId += 1;
        waiting.set(lastId, resolve as (result: unknown) => void);
        socket.send(JSON.stringify({ id: lastId, method, params }));
      }),
    close: () => socket.close(),
  };
}

/** The package (or src/ file) each line of a readable esbuild bundle belongs to. */
function sectionsOf(bundle: string): (line: number) => string {
  const starts: [number, string][] = [];
  readFileSync(bundle, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const marker = /^\/\/ (node_modules\/((?:@[^/]+\/)?[^/]+)|src\/\S+)/.exec(text);
      if (marker) starts.push([line, marker[2] ?? marker[1]]);
    });
  return (line) => {
    let found = '(bundle preamble)';
    for (const [start, name] of starts) {
      if (start > line) break;
      found = name;
    }
    return found;
  };
}

function summarize(profile: CpuProfile, sectionOf: (line: number) => string, requests: number) {
  const selfTime = new Map<number, number>();
  profile.samples.forEach((node, i) => {
    selfTime.set(node, (selfTime.get(node) ?? 0) + profile.timeDeltas[i]);
  });
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = selfTime.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? sectionOf(lineNumber) : `(runtime) ${functionName || '?'}`;
    byPackage.set(where, (byPackage.get(where) ?? 0) + micros);
    if (url) {
      const name = `${functionName || '(anonymous)'} (${where}, line ${lineNumber + 1})`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    }
  }
  const print = (title: string, entries: Map<string, number>, count: number) => {
    console.log(`\n${title} (ms per request, self time)`);
    for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, count))
      console.log(`  ${(micros / 1000 / requests).toFixed(3).padStart(7)}  ${name}`);
  };
  print('By package', byPackage, 20);
  print('Busiest functions', byFunction, 15);
}

const dataDir = mkdtempSync(join(tmpdir(), 'task-api-profile-'));
const postgres = await startLocalPostgres({ dataDir, persistent: false });
const sqlOverHttp = await startSqlOverHttpProcess();
try {
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('create database profile');
  await admin.end();
  const databaseUrl = postgres.url.replace(/\/postgres$/, '/profile');
  await migrate(databaseUrl, 'pipe');
  const vars = {
    APP_ENV: 'development',
    BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'),
    DATABASE_URL: databaseUrl,
    LOCAL_DB_HTTP: `127.0.0.1:${sqlOverHttp.port}`,
    BCRYPT_COST: '12',
  };

  const dev = await startWranglerDev(vars);
  let token: string;
  try {
    const signup = await fetch(`${dev.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '10.0.0.1' },
      body: JSON.stringify({ email: 'profile@example.test', password: 'profile password 123' }),
    });
    token = ((await signup.json()) as { accessToken: string }).accessToken;
  } finally {
    await dev.stop();
  }

  const inspectorPort = await freePort();
  const worker = await startWorkerdDirect(vars, { minify: false, inspectorPort });
  try {
    const auth = { Authorization: `Bearer ${token}` };
    const json = { ...auth, 'Content-Type': 'application/json' };
    const created = await fetch(`${worker.url}/api/tasks`, { method: 'POST', headers: json, body: '{"title":"p"}' });
    const taskId = ((await created.json()) as { id: number }).id;
    for (let i = 0; i < 20; i++)
      await (await fetch(`${worker.url}/api/tasks`, { method: 'POST', headers: json, body: '{"title":"p"}' })).text();
    const routes: Record<string, SentRequest> = {
      live: { path: '/api/health/live' },
      list: { path: '/api/tasks?limit=20', headers: auth },
      get: { path: `/api/tasks/${taskId}`, headers: auth },
      create: { method: 'POST', path: '/api/tasks', headers: json, body: '{"title":"profiled"}' },
      patch: { method: 'PATCH', path: `/api/tasks/${taskId}`, headers: json, body: '{"completed":true}' },
    };
    const route = routes[values.route];
    if (!route) throw new Error(`--route must be one of ${Object.keys(routes).join(', ')}`);

    await oneAtATime(worker.url, route, SECONDS); // warm-up: let V8 optimise before sampling
    const inspector = await devtools(inspectorPort);
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 100 });
    await inspector.send('Profiler.start');
    const measured = await oneAtATime(worker.url, route, SECONDS);
    const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
    inspector.close();

    const file = join(tmpdir(), `task-api-${values.route}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(
      `${route.method ?? 'GET'} ${route.path}: ${measured.requests} requests one at a time in ${SECONDS} s while profiled (p50 ${measured.p50.toFixed(2)} ms, non-2xx ${measured.non2xx})`,
    );
    summarize(profile, sectionsOf(worker.bundle), measured.requests);
    console.log(`\nProfile written to ${file}`);
  } finally {
    await worker.stop();
  }
} finally {
  await sqlOverHttp.close();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
