// `npm run dev` stops at start with a message that says what to do: a setting the Worker would refuse
// (naming the key, never the value), or an embedded PostgreSQL that cannot start (its log's last lines
// and the likely fix: port taken, a stale postmaster.pid, a data directory of another major version).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { runDev } from '../../scripts/lib/run-dev.ts';
import { startLocalPostgres } from '../../tools/local-platform/local-postgres.ts';

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-dev-'));
  chmodSync(dir, 0o755); // as root, the server runs as the `postgres` user, which must enter it
  return dir;
}

async function dev(dir: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  let output = '';
  const print = { log: (line: string) => (output += `${line}\n`), error: (line: string) => (output += `${line}\n`) };
  const code = await runDev({ stateDir: dir, env: { PATH: process.env.PATH, ...env }, print });
  return { code, output };
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm run dev refuses a bad setting before starting anything', () => {
  it('a CORS origin with a trailing slash: exit 1, names CORS_ORIGINS and why', async () => {
    const dir = stateDir();
    dirs.push(dir);
    const { code, output } = await dev(dir, { CORS_ORIGINS: 'http://localhost:5173/' });
    expect(code).toBe(1);
    expect(output).toMatch(/CORS_ORIGINS\.0 must be an origin .*trailing slash.* \(set in the environment\)/);
    expect(existsSync(join(dir, '.data'))).toBe(false); // no database was started
  });

  it('a short BETTER_AUTH_SECRET: exit 1, names the key and the rule, never the value', async () => {
    const dir = stateDir();
    dirs.push(dir);
    const secret = 'short-but-secret-value';
    const { code, output } = await dev(dir, { BETTER_AUTH_SECRET: secret });
    expect(code).toBe(1);
    expect(output).toContain('BETTER_AUTH_SECRET must be at least 32 bytes');
    expect(output).not.toContain(secret);
    expect(existsSync(join(dir, '.data'))).toBe(false);
  });

  it('a bad LOCAL_PG_PORT is named too', async () => {
    const dir = stateDir();
    dirs.push(dir);
    const { code, output } = await dev(dir, { LOCAL_PG_PORT: 'abc' });
    expect(code).toBe(1);
    expect(output).toContain('LOCAL_PG_PORT must be a port number');
  });

  it('the real script exits non-zero with the same message', async () => {
    const dir = stateDir();
    dirs.push(dir);
    // The script keeps its files in the repository; a bad setting stops it before it writes any but .dev.vars.
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['scripts/dev.ts'], {
      env: { ...process.env, BETTER_AUTH_SECRET: 'tiny' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('BETTER_AUTH_SECRET must be at least 32 bytes');
    expect(output).not.toContain('tiny');
  });
});

describe('npm run dev explains an embedded PostgreSQL that does not start', () => {
  let dir: string;
  let pgPort: number;

  beforeAll(async () => {
    dir = stateDir();
    dirs.push(dir);
    pgPort = await freePort();
    // An initialised data directory, as a first `npm run dev` leaves it.
    mkdirSync(join(dir, '.data'));
    const postgres = await startLocalPostgres({ dataDir: join(dir, '.data', 'postgres'), port: pgPort });
    await postgres.stop();
  }, 120_000);

  it('port taken: names the port and LOCAL_PG_PORT', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(pgPort, '127.0.0.1', resolve));
    try {
      const { code, output } = await dev(dir, { LOCAL_PG_PORT: String(pgPort) });
      expect(code).toBe(1);
      expect(output).toContain(`port ${pgPort} on 127.0.0.1 is taken`);
      expect(output).toContain(`LOCAL_PG_PORT=${pgPort + 1} npm run dev`);
      expect(output).toContain('Last lines of its log:');
      expect(output).toMatch(/^ {2}\| .*could not bind IPv4 address "127.0.0.1": Address already in use$/m);
      expect(output).not.toContain('undefined');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a postmaster.pid naming a live process: says which file to delete', async () => {
    // A stale lock file whose PID now belongs to another program (e.g. after a reboot). PostgreSQL
    // ignores a PID it may not signal, so as root the program runs as the server's `postgres` user.
    const uid =
      process.getuid?.() === 0 ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })) : undefined;
    const other = spawn('sleep', ['60'], { uid });
    writeFileSync(
      join(dir, '.data', 'postgres', 'postmaster.pid'),
      `${other.pid}\n${join(dir, '.data', 'postgres')}\n`,
    );
    try {
      const { code, output } = await dev(dir, { LOCAL_PG_PORT: String(pgPort) });
      expect(code).toBe(1);
      expect(output).toContain(`(PID ${other.pid})`);
      expect(output).toContain(`delete ${join('.data', 'postgres', 'postmaster.pid')}`);
      expect(output).toMatch(/^ {2}\| .*lock file "postmaster.pid" already exists$/m);
    } finally {
      other.kill();
      rmSync(join(dir, '.data', 'postgres', 'postmaster.pid'), { force: true });
    }
  });

  it('a data directory of another major version: says to move it aside', async () => {
    writeFileSync(join(dir, '.data', 'postgres', 'PG_VERSION'), '16\n');
    const { code, output } = await dev(dir, { LOCAL_PG_PORT: String(pgPort) });
    expect(code).toBe(1);
    expect(output).toContain(`${join('.data', 'postgres')} was initialised by PostgreSQL 16`);
    expect(output).toContain(`mv ${join('.data', 'postgres')} ${join('.data', 'postgres')}-16`);
    expect(output).toMatch(/^ {2}\| .*database files are incompatible with server$/m);
  });

  it.runIf(process.getuid?.() === 0)('as root, a directory the postgres user cannot enter is named', async () => {
    const hidden = mkdtempSync(join(tmpdir(), 'task-api-dev-'));
    dirs.push(hidden);
    chmodSync(hidden, 0o700);
    const { code, output } = await dev(hidden, { LOCAL_PG_PORT: String(pgPort) });
    expect(code).toBe(1);
    expect(output).toContain(`cannot enter ${hidden}`);
  });
});
