// A Drizzle handle per request on Neon's serverless driver. Workers forbid sharing sockets between
// requests, so each request gets its own Pool (it connects lazily, on the first query) and closes it
// after the response via waitUntil.
import { neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import type { Config } from '../config.ts';
import * as schema from './schema.ts';

export type Database = NeonDatabase<typeof schema>;

/** Loopback host names: a DATABASE_URL on one of these is reached through the local pipe. */
export const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
// Fail fast when the database is down: the client gets 503 within seconds, never a hung request.
const CONNECT_TIMEOUT_MS = 5_000;

export function isLocalDatabase(url: string): boolean {
  return LOCAL_HOSTS.has(new URL(url).hostname);
}

let localPipeConfigured: string | undefined;

/**
 * Against Neon the driver's defaults are right (wss:// to the proxy in front of the host). Against a
 * local Postgres it talks plain ws:// to our pipe, which forwards to host:port; no TLS on loopback.
 */
function useLocalPipe(pipe: string, pipelineConnect: 'password' | 'off'): void {
  const settings = `${pipe}|${pipelineConnect}`;
  if (localPipeConfigured === settings) return;
  neonConfig.wsProxy = (host, port) => `${pipe}/v1?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = pipelineConnect === 'password' ? 'password' : false;
  localPipeConfigured = settings;
}

export function createDatabase(config: Config): { db: Database; close: () => Promise<void> } {
  if (isLocalDatabase(config.DATABASE_URL)) useLocalPipe(config.LOCAL_DB_PIPE, config.LOCAL_DB_PIPELINE_CONNECT);
  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    max: 1,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client's socket error must not become an unhandled exception.
  pool.on('error', () => {});
  return { db: drizzle({ client: pool, schema }), close: () => pool.end() };
}
