// Runs once per `vitest run`, in Node: a real PostgreSQL (embedded, or TEST_DATABASE_URL's server), a
// fresh database migrated by the real drizzle-kit, the local SQL-over-HTTP endpoint (Neon's `/sql` protocol) the Worker's driver uses, and the mail outbox (its .eml files in a
// temp dir) the Worker sends email to and tests read messages back from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../scripts/lib/migrations.ts';
import { type LocalPostgres, startLocalPostgres } from '../../tools/local-platform/local-postgres.ts';
import { startMailOutbox } from '../../tools/local-platform/mail-outbox.ts';
import { startSqlOverHttp } from '../../tools/local-platform/sql-over-http.ts';
import { createScratchDatabase } from './scratch-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A fresh, fully migrated database for this run. */
    databaseUrl: string;
    /** The server's maintenance database: tests create their own scratch databases through it. */
    serverUrl: string;
    /** URL of the local SQL-over-HTTP endpoint, for `neonConfig.fetchEndpoint`. */
    sqlEndpoint: string;
    /** host:port of the local mail outbox (LOCAL_OUTBOX). */
    outbox: string;
  }
}

export default async function setup(project: TestProject) {
  let postgres: LocalPostgres | undefined;
  let dataDir: string | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'task-api-pg-'));
    postgres = await startLocalPostgres({ dataDir, persistent: false });
    serverUrl = postgres.url;
  }
  const scratch = await createScratchDatabase(serverUrl, 'run');
  await migrate(scratch.url, 'pipe');
  const sqlOverHttp = await startSqlOverHttp({ countStatements: true });
  const mailDir = mkdtempSync(join(tmpdir(), 'task-api-mail-'));
  const outbox = await startMailOutbox({ dir: mailDir });

  project.provide('databaseUrl', scratch.url);
  project.provide('serverUrl', serverUrl);
  project.provide('sqlEndpoint', sqlOverHttp.endpoint);
  project.provide('outbox', outbox.hostPort);

  return async () => {
    await sqlOverHttp.close();
    await outbox.close();
    rmSync(mailDir, { recursive: true, force: true });
    if (postgres) {
      await postgres.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    } else {
      await scratch.drop();
    }
  };
}
