// The deployable Worker (the bundle `wrangler deploy --dry-run` writes: minified, exactly what would be
// uploaded) served by workerd itself, the runtime binary wrangler ships, with none of `wrangler dev`'s
// development machinery around it: no second workerd proxying each request, no outbound interceptor
// worker on each `fetch`, no inspector, no log collector. The bench measures the same routes here to
// separate what the Worker and its one database round trip cost from what `wrangler dev` adds.
// Bindings are plain text, as `[vars]` and secrets are deployed; besides them the Worker gets what the
// measured routes call: the task-write rate limiter (an in-memory stand-in, bench/rate-limit-binding.js)
// and the live-updates Durable Object (its own class from the bundle, storage in memory). The email
// binding is left out, so the routes that send mail are not measured here.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/lib/free-port.ts';
import { ROOT } from '../scripts/lib/migrations.ts';
import { quietWranglerEnv } from '../scripts/lib/wrangler-env.ts';

export interface WorkerdDirect {
  url: string;
  pid: number;
  /** The bundle served (removed by stop()). */
  bundle: string;
  stop(): Promise<void>;
}

export interface WorkerdDirectOptions {
  /** false: a readable bundle (names and lines kept), for CPU profiles (bench/profile.ts). */
  minify?: boolean;
  /** Opens workerd's inspector (Chrome DevTools protocol) on this loopback port. */
  inspectorPort?: number;
  /** The checkout to bundle (default: this one); bench:cpu --baseline passes an earlier commit's. */
  root?: string;
}

/** The workerd binary of the wrangler this project pins (the runtime `wrangler dev` runs, too). */
function workerdBinary(): string {
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler/package.json'));
  return (fromWrangler('workerd') as { default: string }).default;
}

/** wrangler.toml's compatibility_date, so both runtimes run the Worker with the same behaviour flags. */
function compatibilityDate(): string {
  const date = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').match(/^compatibility_date = "([\d-]+)"$/m)?.[1];
  if (!date) throw new Error('wrangler.toml has no compatibility_date');
  return date;
}

const capnpString = (value: string) => JSON.stringify(value); // capnp text literals use JSON's escapes

// Rate-limit bindings the measured routes consume, with a limit the bench never reaches.
const RATE_LIMITERS = ['TASK_WRITE_RATE_LIMITER'];

export async function startWorkerdDirect(
  vars: Record<string, string>,
  options: WorkerdDirectOptions = {},
): Promise<WorkerdDirect> {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-workerd-'));
  const root = options.root ?? ROOT;
  const build = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'wrangler'),
    [
      'deploy',
      '--dry-run',
      '--outdir',
      dir,
      '--env',
      'production',
      ...(options.minify === false ? ['--minify=false'] : []),
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: quietWranglerEnv(),
    },
  );
  if (build.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`wrangler deploy --dry-run failed:\n${build.stdout}${build.stderr}`);
  }
  return serveOnWorkerd(dir, vars, options);
}

/**
 * Serves the ES module `index.js` in `dir` (a Worker bundle) on workerd alone, with these plain-text
 * bindings and the same compatibility date and configuration as the project's bundle. The Worker must
 * answer GET /api/health/live with 200 (the readiness probe). stop() removes `dir`.
 */
export async function serveOnWorkerd(
  dir: string,
  vars: Record<string, string>,
  options: Pick<WorkerdDirectOptions, 'inspectorPort'> = {},
): Promise<WorkerdDirect> {
  const port = await freePort();
  const texts = Object.entries(vars).map(
    ([name, value]) => `(name = ${capnpString(name)}, text = ${capnpString(value)})`,
  );
  const limiters = RATE_LIMITERS.map(
    (name) =>
      `(name = ${capnpString(name)}, wrapped = (moduleName = "bench:rate-limit", innerBindings = [(name = "limit", json = "1000000000"), (name = "period", json = "60")]))`,
  );
  copyFileSync(join(ROOT, 'bench', 'rate-limit-binding.js'), join(dir, 'rate-limit-binding.js'));
  // The bundle exports LiveTasks (the live-updates object) only when it is the project's own.
  const live = readFileSync(join(dir, 'index.js'), 'utf8').includes('LiveTasks');
  // Bindings a Worker does not read cost nothing, so every Worker gets the limiters.
  const bindings = [
    ...texts,
    ...limiters,
    ...(live ? ['(name = "LIVE", durableObjectNamespace = "LiveTasks")'] : []),
  ].join(',\n      ');
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
  extensions = .extensions,
);
const worker :Workerd.Worker = (
  modules = [(name = "index.js", esModule = embed "index.js")],
  compatibilityDate = ${capnpString(compatibilityDate())},
  bindings = [
      ${bindings}
  ],
  globalOutbound = "internet",${
    live
      ? `
  durableObjectNamespaces = [(className = "LiveTasks", uniqueKey = "task-api-bench-live", enableSql = true)],
  durableObjectStorage = (inMemory = void),`
      : ''
  }
);
const extensions :List(Workerd.Extension) = [
  (modules = [(name = "bench:rate-limit", esModule = embed "rate-limit-binding.js", internal = true)]),
];
`,
  );
  let output = '';
  const inspector = options.inspectorPort ? [`--inspector-addr=127.0.0.1:${options.inspectorPort}`] : [];
  const child: ChildProcess = spawn(workerdBinary(), ['serve', join(dir, 'config.capnp'), ...inspector], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The Worker logs a line per request; read it so the pipe never fills, keep only the tail.
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`${url}/api/health/live`);
      await response.arrayBuffer();
      if (response.status === 200) return { url, pid: child.pid ?? 0, bundle: join(dir, 'index.js'), stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`workerd did not serve the Worker on ${url}:\n${output}`);
}
