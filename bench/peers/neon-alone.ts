// neon-alone: the Neon serverless driver and nothing else. `neon()` sends each route's statement as raw
// SQL (the same text as the peer's Drizzle query builder, bench/peers/statements.ts) and the rows are
// answered as JSON. No routing library, no ORM, no token (the user and task come from bindings), no
// request validation: what the driver adds to the floor.
import { neon, neonConfig } from '@neondatabase/serverless';
import { routeOf, statement } from './statements.ts';

interface Env {
  DATABASE_URL: string;
  /** host:port of the SQL-over-HTTP endpoint. */
  SQL_HTTP: string;
  BENCH_USER_ID: string;
  BENCH_TASK_ID: string;
}

let sql: ReturnType<typeof neon> | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/api/health/live') return Response.json({ status: 'ok' });
    const found = routeOf(request.method, pathname);
    if (!found) return Response.json({ error: 'not found' }, { status: 404 });
    if (!sql) {
      neonConfig.fetchEndpoint = () => `http://${env.SQL_HTTP}/sql`;
      sql = neon(env.DATABASE_URL);
    }
    const { query, params } = statement(found.route, env.BENCH_USER_ID, found.id ?? env.BENCH_TASK_ID);
    const rows = (await sql.query(query, params)) as Record<string, unknown>[];
    if (found.route === 'list') return Response.json({ items: rows, nextCursor: null });
    if (rows.length === 0) return Response.json({ error: 'not found' }, { status: 404 });
    return Response.json(rows[0], { status: found.route === 'create' ? 201 : 200 });
  },
};
