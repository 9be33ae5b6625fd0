// A database handle for the request, closed after the response (waitUntil). Routes that query list this
// middleware; `c.get('db')` type-checks only in their handlers.
import { createMiddleware } from 'hono/factory';
import { createDatabase, type Database } from '../db/client.ts';
import type { AppEnv } from '../env.ts';

export interface DatabaseVariables {
  db: Database;
}

export const withDatabase = createMiddleware<{
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & DatabaseVariables;
}>(async (c, next) => {
  const { db, close } = createDatabase(c.get('config'));
  c.set('db', db);
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(close().catch(() => {}));
  }
});
