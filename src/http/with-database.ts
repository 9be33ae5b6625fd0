// The database handle for the request. Routes that query list this middleware; `c.get('db')`
// type-checks only in their handlers. Over HTTP there is nothing to open or close per request.
import { createMiddleware } from 'hono/factory';
import { createDatabase, type Database } from '../db/client.ts';
import type { AppEnv } from '../env.ts';
import type { Problems } from './openapi.ts';

/** A route that queries: the database unreachable or too slow (onError's DATABASE_UNAVAILABLE). */
export const DATABASE_PROBLEMS = { 503: ['DATABASE_UNAVAILABLE'] } as const satisfies Problems;

export interface DatabaseVariables {
  db: Database;
}

export const withDatabase = createMiddleware<{
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & DatabaseVariables;
}>(async (c, next) => {
  c.set('db', createDatabase(c.get('config')));
  await next();
});
