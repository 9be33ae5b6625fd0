// `npm run dev`: one command, no Docker, no account, offline.
// Without DATABASE_URL: embedded PostgreSQL (data in .data/), migrations, the WebSocket pipe the Neon
// driver talks to, then `wrangler dev`. With DATABASE_URL (environment or .dev.vars): that database.
// Variables: .dev.vars.example < .dev.vars < the environment. Ctrl-C stops everything it started.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { isLocalDatabase } from '../src/db/client.ts';
import { formatDotEnv, mergeDevVars, readDotEnv } from './lib/dev-vars.ts';
import { type LocalPostgres, startLocalPostgres } from './lib/local-postgres.ts';
import { migrate, ROOT } from './lib/migrations.ts';
import { type SqlOverHttp, startSqlOverHttp } from './lib/sql-over-http.ts';
import { startWsPipe, type WsPipe } from './lib/ws-pipe.ts';

const DEV_VARS = join(ROOT, '.dev.vars');
const EXAMPLE = join(ROOT, '.dev.vars.example');
const MERGED = join(ROOT, '.wrangler', 'dev-vars.merged.env');

function ensureDevVars(): Record<string, string> {
  if (!existsSync(DEV_VARS)) copyFileSync(EXAMPLE, DEV_VARS);
  const vars = readDotEnv(DEV_VARS);
  if (!vars.BETTER_AUTH_SECRET) {
    vars.BETTER_AUTH_SECRET = randomBytes(32).toString('base64url');
    writeFileSync(DEV_VARS, formatDotEnv(vars));
    chmodSync(DEV_VARS, 0o600); // it holds a secret now
    console.log('dev: generated a random BETTER_AUTH_SECRET into .dev.vars');
  }
  return vars;
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
  if (!rowCount) await client.query(`create database "${name}"`);
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const vars = mergeDevVars(readDotEnv(EXAMPLE), ensureDevVars(), process.env);
const port = process.env.PORT ?? '8787';

let postgres: LocalPostgres | undefined;
let pipe: WsPipe | undefined;
let sqlOverHttp: SqlOverHttp | undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await pipe?.close().catch(() => {});
    await sqlOverHttp?.close().catch(() => {});
    await postgres?.stop().catch(() => {});
  }
  process.exit(code);
}

try {
  if (!vars.DATABASE_URL) {
    mkdirSync(join(ROOT, '.data'), { recursive: true });
    postgres = await startLocalPostgres({
      dataDir: join(ROOT, '.data', 'postgres'),
      port: Number(process.env.LOCAL_PG_PORT ?? 54329),
    });
    vars.DATABASE_URL = await ensureDatabase(postgres.url, 'task_api');
    // The embedded server asks for cleartext passwords, like Neon's proxy: pipeline the connect.
    vars.LOCAL_DB_PIPELINE_CONNECT ??= 'password';
    console.log(`dev: embedded PostgreSQL 17 at ${vars.DATABASE_URL.replace(/:[^:@/]+@/, ':***@')}`);
    await migrate(vars.DATABASE_URL);
  }
  // The pipe is needed for any local database, embedded or not; Neon is reached directly.
  if (isLocalDatabase(vars.DATABASE_URL)) {
    pipe = await startWsPipe({ port: Number(process.env.LOCAL_DB_PIPE_PORT ?? 0) });
    vars.LOCAL_DB_PIPE = `127.0.0.1:${pipe.port}`;
    // The Worker's queries go over Neon's HTTP protocol: a local endpoint stands in for Neon's proxy.
    sqlOverHttp = await startSqlOverHttp({ port: Number(process.env.LOCAL_DB_HTTP_PORT ?? 0) });
    vars.LOCAL_DB_HTTP = `127.0.0.1:${sqlOverHttp.port}`;
  }
} catch (error) {
  console.error('dev: could not prepare the database:', error instanceof Error ? error.message : error);
  await stopAll(1);
}

// wrangler reads only --env-file when one is given, so the merged variables go in one private file.
mkdirSync(join(ROOT, '.wrangler'), { recursive: true });
writeFileSync(MERGED, formatDotEnv(vars), { mode: 0o600 });
chmodSync(MERGED, 0o600);

const wrangler = spawn(
  join(ROOT, 'node_modules', '.bin', 'wrangler'),
  ['dev', '--ip', '127.0.0.1', '--port', port, '--env-file', MERGED, '--show-interactive-dev-session=false'],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    wrangler.kill(signal);
  });
}
wrangler.on('exit', (code) => void stopAll(code ?? 0));
