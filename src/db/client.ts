// The Worker's database: Drizzle over Neon's HTTP path (`neon()` + drizzle-orm/neon-http). Every query
// is one HTTPS request to Neon's proxy, which keeps the Postgres sessions warm on its side: no WebSocket,
// no Postgres start-up or authentication per request. The client holds no socket, so one per isolate
// (per DATABASE_URL) is shared by all requests.
//
// Atomic multi-statement writes need no WebSocket session either: `db.batch([...])` (the driver's HTTP
// `transaction()`) sends the statements in one request and Neon runs them in one transaction. Only an
// interactive transaction (read, decide in JavaScript, write, commit) would need the driver's WebSocket
// Pool; no route needs one, so none is set up.
import { type NeonQueryFunction, neon, neonConfig } from '@neondatabase/serverless';
import { drizzle, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { isLoopbackHost } from '../lib/loopback.ts';

// No `schema` is given to drizzle(): it would only serve the relational API (`db.query.*`), which
// nothing uses; every query names its tables (src/db/schema.ts) itself. Without it the bundle carries
// no namespace object of the schema module and drizzle builds no relational config per client.
// `$client` (the driver's query function) runs the statements that Drizzle built once (db/prepared.ts).
export type Database = NeonHttpDatabase & { $client: NeonQueryFunction<false, false> };

/** What the client needs from the configuration (the parsed Config has it; db/ does not import it). */
export interface DatabaseSettings {
  DATABASE_URL: string;
  LOCAL_DB_HTTP: string;
}

// Fail fast when the database is down: the client gets 503 within seconds, never a hung request. Over
// HTTP this bounds the whole query (Neon waking a suspended compute takes well under this).
const QUERY_TIMEOUT_MS = 8_000;

/** A DATABASE_URL on a loopback host is reached through the local SQL-over-HTTP endpoint. */
export function isLocalDatabase(url: string): boolean {
  return isLoopbackHost(new URL(url).hostname);
}

/**
 * The proxy answered with a status that means "not now" (408, 429, 5xx: it could not reach or wake the
 * database, or is overloaded). Thrown from the driver's fetch, so the driver reports it like a network
 * failure: as the `sourceError` of its NeonDbError, which is how errors.ts recognises it.
 */
export class DatabaseHttpError extends Error {
  override name = 'DatabaseHttpError';
  constructor(readonly status: number) {
    super(`the database proxy answered HTTP ${status}`);
  }
}

async function fetchWithinLimits(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, { ...init, signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
  if (response.status === 408 || response.status === 429 || response.status >= 500) {
    await response.body?.cancel();
    throw new DatabaseHttpError(response.status);
  }
  return response;
}

// The driver's own endpoint choice (https://api.<host>/sql on Neon), captured before we replace it.
const neonEndpoint = neonConfig.fetchEndpoint;
let localEndpoint: string | undefined;
let driverConfigured = false;

/**
 * On Neon the driver's default endpoint is right. A loopback DATABASE_URL goes to the local endpoint
 * (tools/local-platform/sql-over-http.ts), plain HTTP on loopback.
 */
function configureHttpDriver(config: DatabaseSettings, local: boolean): void {
  if (local) localEndpoint = `http://${config.LOCAL_DB_HTTP}/sql`;
  if (driverConfigured) return;
  neonConfig.fetchFunction = fetchWithinLimits;
  neonConfig.fetchEndpoint = (host, port, options) => {
    if (isLoopbackHost(host) && localEndpoint) return localEndpoint;
    return typeof neonEndpoint === 'function' ? neonEndpoint(host, port, options) : neonEndpoint;
  };
  driverConfigured = true;
}

// Per DATABASE_URL: the client, and whether the URL is local (parsed once, not on every request).
const databases = new Map<string, { db: Database; local: boolean }>();

export function createDatabase(config: DatabaseSettings): Database {
  let entry = databases.get(config.DATABASE_URL);
  if (!entry) {
    if (databases.size >= 16) databases.clear(); // only tests use more than one URL per isolate
    entry = { db: drizzle({ client: neon(config.DATABASE_URL) }), local: isLocalDatabase(config.DATABASE_URL) };
    databases.set(config.DATABASE_URL, entry);
  }
  configureHttpDriver(config, entry.local);
  return entry.db;
}
