// The local stand-in for Neon's SQL-over-HTTP endpoint (`https://api.<host>/sql`), which `neon()` from
// @neondatabase/serverless and drizzle-orm/neon-http send every query to. Neon publishes no such server
// outside Docker, so this implements the part of the protocol the driver uses, on node:http + pg:
//
//   POST /sql  {"query": "…", "params": ["text" | null, …]}        → one result
//              {"queries": [{"query", "params"}, …]}               → {"results": […]}, in one transaction
//   headers    Neon-Connection-String: postgresql://user:pass@host:port/db?application_name=…
//              Neon-Raw-Text-Output: true   (values as Postgres text; the driver parses them)
//              Neon-Array-Mode: true        (rows as arrays)
//              Neon-Batch-Isolation-Level / -Read-Only / -Deferrable (batches only)
//   result     {command, rowCount, rowAsArray, fields: [{name, dataTypeID, tableID, columnID,
//              dataTypeSize, dataTypeModifier, format: "text"}], rows}
//   errors     a Postgres error → 400 with its fields (the driver's NeonDbError copies them); the server
//              unreachable → 500 (the driver reports "Server error (HTTP status 500)").
//
// As in Neon's proxy, connections are pooled per user/password/host/port/database (application_name
// is not part of the key) and parameters go through the extended protocol, so a query is one statement.
// Only loopback database hosts are allowed: this can never be used to reach another machine. Only local
// programs are served: a foreign Host or a browser's request is refused with 403 (see local-http.ts).

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { isLoopbackHost } from '../../src/lib/loopback.ts';
import { readBody, refusal, sendJson } from './local-http.ts';

export interface SqlOverHttp {
  port: number;
  /** The URL to give `neonConfig.fetchEndpoint`. */
  endpoint: string;
  close(): Promise<void>;
}

interface QueryData {
  query: string;
  params?: (string | null)[];
  arrayMode?: boolean;
}

/** Values exactly as Postgres wrote them: the driver applies its own type parsers. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

const ISOLATION_LEVELS: Record<string, string> = {
  Serializable: 'SERIALIZABLE',
  RepeatableRead: 'REPEATABLE READ',
  ReadCommitted: 'READ COMMITTED',
  ReadUncommitted: 'READ UNCOMMITTED',
};

// The fields of a Postgres error that the proxy returns and NeonDbError copies (pg names in brackets).
const ERROR_FIELDS = [
  ['code', 'code'],
  ['detail', 'detail'],
  ['hint', 'hint'],
  ['position', 'position'],
  ['internalPosition', 'internalPosition'],
  ['internalQuery', 'internalQuery'],
  ['severity', 'severity'],
  ['where', 'where'],
  ['table', 'table'],
  ['column', 'column'],
  ['schema', 'schema'],
  ['dataType', 'dataType'],
  ['constraint', 'constraint'],
  ['file', 'file'],
  ['line', 'line'],
  ['routine', 'routine'],
] as const;

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** An answer that is not a query result: an HTTP status and a JSON body in the proxy's error shape. */
class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The pg connection settings named by a Neon-Connection-String, or an HttpFailure (400) why not. */
export function parseConnectionString(value: string | undefined): {
  key: string;
  config: pg.PoolConfig;
  applicationName: string | undefined;
} {
  if (!value) throw new HttpFailure(400, 'missing Neon-Connection-String header');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpFailure(400, 'Neon-Connection-String is not a valid URL');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new HttpFailure(400, 'Neon-Connection-String must be a postgresql:// URL');
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new HttpFailure(400, 'only local database hosts are allowed (localhost, 127.0.0.1, [::1])');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(url.username);
  if (!database || !user) throw new HttpFailure(400, 'Neon-Connection-String must name a user and a database');
  const config: pg.PoolConfig = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 5432,
    user,
    password: decodeURIComponent(url.password),
    database,
    application_name: 'sql-over-http',
    ssl: false, // loopback only; sslmode and other URL options are deliberately not passed on
  };
  const key = JSON.stringify([config.host, config.port, config.user, config.password, config.database]);
  return { key, config, applicationName: url.searchParams.get('application_name') ?? undefined };
}

function isQueryData(value: unknown): value is QueryData {
  if (typeof value !== 'object' || value === null) return false;
  const { query, params, arrayMode } = value as Record<string, unknown>;
  return (
    typeof query === 'string' &&
    (params === undefined ||
      (Array.isArray(params) && params.every((param) => param === null || typeof param === 'string'))) &&
    (arrayMode === undefined || typeof arrayMode === 'boolean')
  );
}

function parsePayload(body: string): QueryData | { queries: QueryData[] } {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new HttpFailure(400, 'request body is not JSON');
  }
  if (isQueryData(payload)) return payload;
  const queries = (payload as { queries?: unknown } | null)?.queries;
  if (Array.isArray(queries) && queries.every(isQueryData)) return { queries };
  throw new HttpFailure(400, 'request body must be {"query", "params"} or {"queries": […]}');
}

/** A Postgres error (it has a SQLSTATE) as opposed to a connection failure. */
function isPostgresError(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

function postgresErrorBody(error: pg.DatabaseError): Record<string, unknown> {
  const body: Record<string, unknown> = { message: error.message };
  for (const [json, field] of ERROR_FIELDS) body[json] = (error as unknown as Record<string, unknown>)[field] ?? null;
  return body;
}

async function runQuery(client: pg.PoolClient, data: QueryData, defaultArrayMode: boolean) {
  const arrayMode = data.arrayMode ?? defaultArrayMode;
  const result = await client.query({
    text: data.query,
    values: data.params ?? [],
    rowMode: arrayMode ? 'array' : undefined,
    types: RAW_TEXT,
    // Always the extended protocol, as Neon's proxy: one statement per query, parameters as text.
    queryMode: 'extended',
  } as pg.QueryConfig & { queryMode: 'extended' });
  return {
    command: result.command ?? '',
    rowCount: result.rowCount ?? null,
    rowAsArray: arrayMode,
    fields: result.fields.map((field) => ({
      name: field.name,
      dataTypeID: field.dataTypeID,
      tableID: field.tableID,
      columnID: field.columnID,
      dataTypeSize: field.dataTypeSize,
      dataTypeModifier: field.dataTypeModifier,
      format: 'text',
    })),
    rows: result.rows,
  };
}

/**
 * Starts the endpoint on loopback. With `countStatements`, it also answers
 * `GET /statements?application_name=…` with the number of statements run for connection strings of that
 * application_name (BEGIN and COMMIT/ROLLBACK of a batch included).
 */
export async function startSqlOverHttp(
  options: { port?: number; host?: string; countStatements?: boolean } = {},
): Promise<SqlOverHttp> {
  const pools = new Map<string, pg.Pool>();
  const counts = options.countStatements ? new Map<string, number>() : undefined;

  function poolFor(key: string, config: pg.PoolConfig): pg.Pool {
    let pool = pools.get(key);
    if (!pool) {
      pool = new pg.Pool({ ...config, max: 10, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5_000 });
      // An idle connection dropped by the server (e.g. it stopped) must not crash the process.
      pool.on('error', () => {});
      pools.set(key, pool);
    }
    return pool;
  }

  async function execute(request: IncomingMessage): Promise<unknown> {
    const { key, config, applicationName } = parseConnectionString(
      request.headers['neon-connection-string'] as string | undefined,
    );
    const payload = parsePayload(
      await readBody(request, MAX_BODY_BYTES, () => new HttpFailure(413, 'request body too large')),
    );
    const arrayMode = request.headers['neon-array-mode'] === 'true';
    if (request.headers['neon-raw-text-output'] !== 'true') {
      // Neon's proxy would convert values to JSON types; the driver always asks for text.
      throw new HttpFailure(400, 'only Neon-Raw-Text-Output: true is supported by this local endpoint');
    }
    const isolation = request.headers['neon-batch-isolation-level'] as string | undefined;
    if (isolation !== undefined && !ISOLATION_LEVELS[isolation]) throw new HttpFailure(400, 'invalid isolation level');

    let client: pg.PoolClient;
    try {
      client = await poolFor(key, config).connect();
    } catch (error) {
      // Neon answers 400 for a database that does not exist or bad credentials, 500 when it cannot
      // reach Postgres at all.
      if (isPostgresError(error)) {
        const status = /^(3D000|28...)$/.test(error.code ?? '') ? 400 : 500;
        throw new HttpFailure(status, error.message, postgresErrorBody(error));
      }
      throw new HttpFailure(500, 'could not connect to postgres in compute');
    }
    let broken = false;
    // A checked-out client has no listener of the pool's: a server shutting down between two queries of
    // this request would otherwise be an unhandled 'error' event. The query in flight fails on its own.
    const onClientError = () => {
      broken = true;
    };
    client.on('error', onClientError);
    const counted = async <T>(run: () => Promise<T>): Promise<T> => {
      if (counts && applicationName) counts.set(applicationName, (counts.get(applicationName) ?? 0) + 1);
      return run();
    };
    try {
      if ('queries' in payload) {
        const mode = [
          isolation ? `ISOLATION LEVEL ${ISOLATION_LEVELS[isolation]}` : '',
          request.headers['neon-batch-read-only'] === 'true' ? 'READ ONLY' : '',
          request.headers['neon-batch-deferrable'] === 'true' ? 'DEFERRABLE' : '',
        ]
          .filter(Boolean)
          .join(' ');
        await counted(() => client.query(`BEGIN${mode ? ` ${mode}` : ''}`));
        try {
          const results = [];
          for (const query of payload.queries) results.push(await counted(() => runQuery(client, query, arrayMode)));
          await counted(() => client.query('COMMIT'));
          return { results };
        } catch (error) {
          await counted(() => client.query('ROLLBACK')).catch(() => {
            broken = true;
          });
          throw error;
        }
      }
      return await counted(() => runQuery(client, payload, arrayMode));
    } catch (error) {
      if (error instanceof HttpFailure) throw error;
      if (isPostgresError(error)) {
        // The session is unusable after a FATAL error (e.g. the server shutting down).
        if (error.severity === 'FATAL' || error.severity === 'PANIC') broken = true;
        throw new HttpFailure(400, error.message, postgresErrorBody(error));
      }
      // The connection broke mid-query (no SQLSTATE): the database is unreachable, not the query wrong.
      broken = true;
      throw new HttpFailure(500, 'connection to postgres in compute was lost');
    } finally {
      client.off('error', onClientError);
      client.release(broken);
    }
  }

  const http = createServer((request, response) => {
    // It runs any SQL as the server's superuser: only local programs may talk to it, never a web page
    // (local-http.ts). Unlike the outbox it takes an untyped body: the driver sends no Content-Type.
    const refused = refusal(request, (http.address() as AddressInfo).port);
    if (refused) return sendJson(response, 403, { message: refused });
    const url = new URL(request.url ?? '/', 'http://sql');
    if (request.method === 'GET' && url.pathname === '/statements' && counts) {
      const application = url.searchParams.get('application_name');
      if (!application) return sendJson(response, 400, { message: 'application_name is required' });
      return sendJson(response, 200, { statements: counts.get(application) ?? 0 });
    }
    if (url.pathname !== '/sql') return sendJson(response, 404, { message: 'not found' });
    if (request.method !== 'POST') return sendJson(response, 405, { message: 'only POST is supported' });
    execute(request).then(
      (result) => sendJson(response, 200, result),
      (error: unknown) => {
        if (error instanceof HttpFailure) {
          return sendJson(response, error.status, { message: error.message, ...error.fields });
        }
        sendJson(response, 500, { message: 'internal error in the local SQL-over-HTTP endpoint' });
      },
    );
  });
  // Keep-alive connections from the Worker stay open between queries, as with Neon's proxy.
  http.keepAliveTimeout = 60_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, resolve);
  });
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://${host}:${port}/sql`,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
      pools.clear();
    },
  };
}
