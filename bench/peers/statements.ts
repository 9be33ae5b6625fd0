// The SQL that bench/peers/peer.ts's Drizzle query builder sends for each route, as text: the floor
// and neon-alone Workers send exactly these (bench/cpu.ts checks, when it captures the answers, that
// the three Workers' statements are the same text). Parameters are written as the driver sends them:
// every value as text.
const COLUMNS = '"id", "title", "description", "completed", "created_at", "updated_at", "version", "user_id"';

export interface Statement {
  query: string;
  params: (string | null)[];
}

export type Route = 'list' | 'get' | 'create' | 'patch';

export function statement(route: Route, userId: string, taskId: string): Statement {
  switch (route) {
    case 'list':
      return {
        query: `select ${COLUMNS} from "tasks" where "tasks"."user_id" = $1 order by "tasks"."created_at" desc, "tasks"."id" desc limit $2`,
        params: [userId, '11'],
      };
    case 'get':
      return {
        query: `select ${COLUMNS} from "tasks" where ("tasks"."id" = $1 and "tasks"."user_id" = $2)`,
        params: [taskId, userId],
      };
    case 'create':
      return {
        query: `insert into "tasks" (${COLUMNS}) values (default, $1, $2, $3, default, default, default, $4) returning ${COLUMNS}`,
        params: ['bench', null, 'false', userId],
      };
    case 'patch':
      return {
        query: `update "tasks" set "completed" = $1, "updated_at" = (now() at time zone 'utc'), "version" = "tasks"."version" + 1 where ("tasks"."id" = $2 and "tasks"."user_id" = $3) returning ${COLUMNS}`,
        params: ['true', taskId, userId],
      };
  }
}

/** The route a request is for (the same paths as the project's), or undefined. */
export function routeOf(method: string, pathname: string): { route: Route; id?: string } | undefined {
  if (pathname === '/api/tasks') {
    if (method === 'GET') return { route: 'list' };
    if (method === 'POST') return { route: 'create' };
    return undefined;
  }
  const id = /^\/api\/tasks\/(\d+)$/.exec(pathname)?.[1];
  if (id === undefined) return undefined;
  if (method === 'GET') return { route: 'get', id };
  if (method === 'PATCH') return { route: 'patch', id };
  return undefined;
}
