// The floor: the least a Worker can do per route and still make the round trip the routes make. A bare
// fetch handler that sends the route's statement (bench/peers/statements.ts) to the SQL-over-HTTP
// endpoint in one fetch, as the Neon driver would (same headers, same body), JSON.parses the answer and
// answers JSON. No routing library, no driver, no token, no validation. GET /api/health/live answers
// without a fetch (the floor of a route without a database).
import { type Route, routeOf, statement } from './statements.ts';

interface Env {
  DATABASE_URL: string;
  /** host:port of the SQL-over-HTTP endpoint. */
  SQL_HTTP: string;
  BENCH_USER_ID: string;
  BENCH_TASK_ID: string;
}

const bodies = new Map<Route, string>();

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/api/health/live') return Response.json({ status: 'ok' });
    const found = routeOf(request.method, pathname);
    if (!found) return Response.json({ error: 'not found' }, { status: 404 });
    let body = bodies.get(found.route);
    if (body === undefined) {
      body = JSON.stringify(statement(found.route, env.BENCH_USER_ID, env.BENCH_TASK_ID));
      bodies.set(found.route, body);
    }
    const answer = await fetch(`http://${env.SQL_HTTP}/sql`, {
      method: 'POST',
      headers: {
        'Neon-Connection-String': env.DATABASE_URL,
        'Neon-Raw-Text-Output': 'true',
        'Neon-Array-Mode': 'true',
      },
      body,
    });
    const result = JSON.parse(await answer.text()) as { rows: unknown[] };
    return Response.json({ items: result.rows }, { status: found.route === 'create' ? 201 : 200 });
  },
};
