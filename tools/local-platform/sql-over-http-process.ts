// Starts sql-over-http-main.ts (the local SQL-over-HTTP endpoint) in a child process under this
// process's own Node, with tsx as its loader: one process, whose id is the one doing the work (for CPU
// time read from /proc). Resolves once it listens.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SqlOverHttp } from './sql-over-http.ts';

export interface SqlOverHttpProcess extends SqlOverHttp {
  pid: number;
}

// The repository root: `--import tsx` is resolved from the child's working directory.
const ROOT = join(import.meta.dirname, '..', '..');
const READY = /^sql-over-http listening on 127\.0\.0\.1:(\d+)$/m;

export async function startSqlOverHttpProcess(options: { port?: number } = {}): Promise<SqlOverHttpProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'sql-over-http-main.ts'), '--port', String(options.port ?? 0)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const ready = READY.exec(output);
      if (ready) resolve(Number(ready[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sql-over-http exited (${code}) before listening:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    pid: child.pid ?? 0,
    port,
    endpoint: `http://127.0.0.1:${port}/sql`,
    close: async () => {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
