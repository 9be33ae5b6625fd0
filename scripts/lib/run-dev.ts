// `npm run dev` (scripts/dev.ts) as a function, so that its start-up failures can be tested.
// Without DATABASE_URL: embedded PostgreSQL (data in .data/), migrations, the local SQL-over-HTTP
// endpoint the Neon driver talks to, the mail outbox (every email as an .eml file in .data/mail/, its link printed), then
// `wrangler dev`. With DATABASE_URL (environment or .dev.vars): that database.
// Variables: .dev.vars (a copy of .dev.vars.example at first) < the environment, for every setting of
// src/config.ts (CONFIG_KEYS); a key of .dev.vars that is none of them is warned about. A setting the Worker would refuse stops it
// before anything starts; so does a database that cannot start, with the reason and the fix.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';
import { configProblems } from '../../src/config.ts';
import { isLocalDatabase } from '../../src/db/client.ts';
import {
  dataDirVersion,
  LOCAL_PASSWORD,
  LOCAL_USER,
  type LocalPostgres,
  LocalPostgresError,
  startLocalPostgres,
} from '../../tools/local-platform/local-postgres.ts';
import { mailNotice } from '../../tools/local-platform/mail-notice.ts';
import { type MailOutbox, startMailOutbox } from '../../tools/local-platform/mail-outbox.ts';
import { type SqlOverHttp, startSqlOverHttp } from '../../tools/local-platform/sql-over-http.ts';
import { formatDotEnv, fromEnvironment, mergeDevVars, readDotEnv, unknownKeyWarnings } from './dev-vars.ts';
import { migrate, ROOT } from './migrations.ts';

export const DEFAULT_PORT = 8787;
export const DEFAULT_LOCAL_PG_PORT = 54329;
const DATABASE_NAME = 'task_api';

export interface DevOptions {
  /** Where .dev.vars, .data/ and .wrangler/ live: the repository root. */
  stateDir?: string;
  env?: Record<string, string | undefined>;
  print?: { log(line: string): void; error(line: string): void };
}

function ensureDevVars(file: string, example: string, print: DevOptions['print'] & {}): Record<string, string> {
  if (!existsSync(file)) copyFileSync(example, file);
  const vars = readDotEnv(file);
  if (!vars.BETTER_AUTH_SECRET) {
    vars.BETTER_AUTH_SECRET = randomBytes(32).toString('base64url');
    writeFileSync(file, formatDotEnv(vars));
    chmodSync(file, 0o600); // it holds a secret now
    print.log('dev: generated a random BETTER_AUTH_SECRET into .dev.vars');
  }
  return vars;
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
  if (!rowCount) await client.query(`create database "${name}"`);
  await client.end();
  return databaseUrl(serverUrl, name);
}

function portProblem(key: string, value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  const port = Number(value);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [`${key} must be a port number (1-65535)`];
}

/**
 * What is wrong with the variables the Worker would get (the same rules it applies: src/config.ts), as
 * lines naming each key, the rule and where the value came from; never a value. Empty when all is well.
 */
export function configReport(vars: Record<string, string>, env: Record<string, string | undefined>): string[] {
  const problems = [
    ...configProblems(vars),
    ...portProblem('PORT', env.PORT),
    ...portProblem('LOCAL_PG_PORT', env.LOCAL_PG_PORT),
  ];
  return problems.map((problem) => {
    const key = problem.split(/[ .]/)[0];
    const from =
      key === 'PORT' || key === 'LOCAL_PG_PORT' || fromEnvironment(key, env) ? 'the environment' : '.dev.vars';
    return `  ${problem} (set in ${from})`;
  });
}

/** The likely fix for a database that did not start, in words a developer can act on. */
export function explainStartFailure(error: LocalPostgresError, stateDir: string): string[] {
  const where = relative(stateDir, error.dataDir) || error.dataDir;
  const { failure } = error;
  const lines = [`dev: the embedded PostgreSQL (data in ${where}, port ${error.port}) did not start.`];
  switch (failure.kind) {
    case 'port-in-use':
      lines.push(
        `Likely cause: port ${failure.port} on 127.0.0.1 is taken (another \`npm run dev\` or another PostgreSQL?).`,
        `Fix: stop that program, or give the embedded server another port with LOCAL_PG_PORT, e.g. ` +
          `LOCAL_PG_PORT=${failure.port === 65535 ? failure.port - 1 : failure.port + 1} npm run dev ` +
          `(default ${DEFAULT_LOCAL_PG_PORT}).`,
      );
      break;
    case 'data-dir-in-use':
      lines.push(
        `Likely cause: ${relative(stateDir, failure.lockFile)} says a server (PID ${failure.pid ?? '?'}) is running ` +
          `on this data directory. Another \`npm run dev\`, or a stale file left by a crash or a restart whose ` +
          `PID now belongs to another program.`,
        `Fix: stop the other \`npm run dev\`; if none is running, delete ${relative(stateDir, failure.lockFile)} ` +
          `and run npm run dev again.`,
      );
      break;
    case 'incompatible-data-dir': {
      const version = failure.dataVersion ?? dataDirVersion(error.dataDir) ?? 'another major version';
      lines.push(
        `Likely cause: ${where} was initialised by PostgreSQL ${version}; this is PostgreSQL ` +
          `${failure.serverVersion ?? '17'}, which cannot open it.`,
        `Fix: move it aside (mv ${where} ${where}-${version.replace(/\W/g, '')}) and run npm run dev again for an ` +
          `empty, migrated database; to keep its data, dump it with pg_dump from PostgreSQL ${version} first.`,
      );
      break;
    }
    case 'unreachable':
      lines.push(
        `Likely cause: running as root, PostgreSQL runs as the \`postgres\` user, which cannot enter ${failure.path}.`,
        `Fix: run npm run dev as a normal user, or keep the project where other users can enter ` +
          `(chmod o+x ${failure.path}).`,
      );
      break;
    default:
      lines.push('Likely cause: see the log below.');
  }
  if (error.logTail.length) {
    lines.push('Last lines of its log:', ...error.logTail.slice(-15).map((line) => `  | ${line}`));
  }
  return lines;
}

/** Runs `npm run dev`; resolves with the exit code once everything it started has stopped. */
export async function runDev(options: DevOptions = {}): Promise<number> {
  const stateDir = options.stateDir ?? ROOT;
  const env = options.env ?? process.env;
  const print = options.print ?? { log: console.log, error: console.error };
  const example = join(ROOT, '.dev.vars.example');
  const fromFile = ensureDevVars(join(stateDir, '.dev.vars'), example, print);
  for (const warning of unknownKeyWarnings(fromFile)) print.error(warning);
  const vars = mergeDevVars(fromFile, env);
  const port = env.PORT || String(DEFAULT_PORT);
  const pgPort = Number(env.LOCAL_PG_PORT || DEFAULT_LOCAL_PG_PORT);
  const embedded = !vars.DATABASE_URL;
  if (embedded) {
    // Filled in here, before the check, with the values the embedded server will have (a bad
    // LOCAL_PG_PORT is reported by the check itself).
    const urlPort = portProblem('', env.LOCAL_PG_PORT).length ? DEFAULT_LOCAL_PG_PORT : pgPort;
    vars.DATABASE_URL = databaseUrl(`postgres://${LOCAL_USER}:${LOCAL_PASSWORD}@127.0.0.1:${urlPort}`, DATABASE_NAME);
  }

  const refuse = (problems: string[]) => {
    print.error(
      [
        'dev: invalid configuration, so nothing was started (the Worker would answer every request with 500 CONFIG_INVALID):',
        ...problems,
        'Fix it in .dev.vars (or in the environment variable of the same name, which wins) and run npm run dev again.',
      ].join('\n'),
    );
    return 1;
  };
  const early = configReport(vars, env);
  if (early.length) return refuse(early);

  let postgres: LocalPostgres | undefined;
  let sqlOverHttp: SqlOverHttp | undefined;
  let outbox: MailOutbox | undefined;
  const stopAll = async () => {
    await outbox?.close().catch(() => {});
    await sqlOverHttp?.close().catch(() => {});
    await postgres?.stop().catch(() => {});
  };

  try {
    if (embedded) {
      mkdirSync(join(stateDir, '.data'), { recursive: true });
      postgres = await startLocalPostgres({ dataDir: join(stateDir, '.data', 'postgres'), port: pgPort });
      vars.DATABASE_URL = await ensureDatabase(postgres.url, DATABASE_NAME);
      print.log(`dev: embedded PostgreSQL 17 at ${vars.DATABASE_URL.replace(/:[^:@/]+@/, ':***@')}`);
      await migrate(vars.DATABASE_URL);
    }
    // The Worker's queries go over Neon's HTTP protocol: for any local database, embedded or not, a local
    // endpoint stands in for Neon's proxy. Neon is reached directly.
    if (isLocalDatabase(vars.DATABASE_URL)) {
      sqlOverHttp = await startSqlOverHttp({ port: Number(env.LOCAL_DB_HTTP_PORT ?? 0) });
      vars.LOCAL_DB_HTTP = `127.0.0.1:${sqlOverHttp.port}`;
    }
    if (vars.EMAIL_TRANSPORT !== 'binding') {
      // Workers cannot write files: the Worker POSTs each email here, and this writes it to .data/mail/.
      const mailDir = join(stateDir, '.data', 'mail');
      outbox = await startMailOutbox({
        dir: mailDir,
        port: Number(env.LOCAL_OUTBOX_PORT ?? 0),
        onMessage: (message) => print.log(mailNotice(message, stateDir)),
      });
      vars.LOCAL_OUTBOX = outbox.hostPort;
      print.log(`dev: emails at http://${outbox.hostPort}/mail (and as .eml files in .data/mail/)`);
    }
  } catch (error) {
    if (error instanceof LocalPostgresError) print.error(explainStartFailure(error, stateDir).join('\n'));
    else print.error(`dev: could not prepare the database: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    return 1;
  }

  // The final values, exactly as wrangler will get them.
  const final = configReport(vars, env);
  if (final.length) {
    await stopAll();
    return refuse(final);
  }

  // Origins are not secrets, and a missing one is the usual reason a browser app cannot call the API.
  print.log(`dev: CORS_ORIGINS=${vars.CORS_ORIGINS || '(empty: no browser origin may call the API)'}`);
  // wrangler reads only --env-file when one is given, so the merged variables go in one private file.
  const merged = join(stateDir, '.wrangler', 'dev-vars.merged.env');
  mkdirSync(join(stateDir, '.wrangler'), { recursive: true });
  writeFileSync(merged, formatDotEnv(vars), { mode: 0o600 });
  chmodSync(merged, 0o600);

  const wrangler = spawn(
    join(ROOT, 'node_modules', '.bin', 'wrangler'),
    ['dev', '--ip', '127.0.0.1', '--port', port, '--env-file', merged, '--show-interactive-dev-session=false'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    },
  );
  const forward = (signal: NodeJS.Signals) => wrangler.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => {
    wrangler.once('error', (error) => {
      print.error(`dev: could not start wrangler: ${error.message}`);
      resolve(1);
    });
    wrangler.once('exit', (exitCode) => resolve(exitCode ?? 0));
  });
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  await stopAll();
  return code;
}
