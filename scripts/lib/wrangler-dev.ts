// Starts `wrangler dev` (the real workerd runtime) on loopback with the given variables, for the
// browser test and the benchmarks, and waits until the Worker answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDotEnv } from './dev-vars.ts';
import { freePort } from './free-port.ts';
import { ROOT } from './migrations.ts';
import { quietWranglerEnv } from './wrangler-env.ts';

export interface WranglerDev {
  url: string;
  port: number;
  /** wrangler's process id, also its process group (wrangler and the workerd processes it starts). */
  pid: number;
  stop(): Promise<void>;
}

/** wrangler's message when its port (or inspector port) was taken between freePort() and its bind. */
const PORT_TAKEN = /Address already in use/i;

export async function startWranglerDev(
  vars: Record<string, string>,
  options: { port?: number } = {},
): Promise<WranglerDev> {
  // A port freePort() found free can be taken before wrangler binds it (other tests start servers at
  // the same time), so on that one failure a chosen port is chosen again; a port given is not.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(vars, options.port ?? (await freePort()));
    } catch (error) {
      const retry = options.port === undefined && attempt < 3 && PORT_TAKEN.test(String(error));
      if (!retry) throw error;
    }
  }
}

async function startOnce(vars: Record<string, string>, port: number): Promise<WranglerDev> {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-wrangler-'));
  const envFile = join(dir, 'vars.env');
  writeFileSync(envFile, formatDotEnv(vars), { mode: 0o600 });
  let output = '';
  const child: ChildProcess = spawn(
    join(ROOT, 'node_modules', '.bin', 'wrangler'),
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--env-file',
      envFile,
      '--persist-to',
      join(dir, 'state'),
      '--inspector-port',
      String(await freePort()),
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: ROOT,
      env: quietWranglerEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200 || response.status === 503) return { url, port, pid: child.pid ?? 0, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not become ready on ${url}:\n${output.slice(-2000)}`);
}
