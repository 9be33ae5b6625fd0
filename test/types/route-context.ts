// Type-level proofs, checked by `npm run typecheck` (tsc): every `@ts-expect-error` below must be an
// error, or the check fails. A handler sees `userId` only when its route was declared with
// authenticatedRoute (which adds requireUser), and `db` only when its route lists withDatabase.
import { createRoute } from '@hono/zod-openapi';
import { authenticatedRoute, type BEARER_SECURITY } from '../../src/auth/authenticated.ts';
import type { requireUser } from '../../src/auth/require-user.ts';
import type { UserId } from '../../src/auth/user-id.ts';
import type { Config } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import type { AppRouteHandler } from '../../src/env.ts';
import { withDatabase } from '../../src/http/with-database.ts';

const responses = { 204: { description: 'done' } };

const publicRoute = createRoute({ method: 'get', path: '/public', responses });
export const publicHandler: AppRouteHandler<typeof publicRoute> = (c) => {
  const config: Config = c.get('config'); // set by app-wide middleware: always there
  // @ts-expect-error userId exists only where requireUser runs
  c.get('userId');
  // @ts-expect-error db exists only where withDatabase is listed
  c.get('db');
  return c.body(config ? null : null, 204);
};

const databaseRoute = createRoute({ method: 'get', path: '/db', middleware: [withDatabase] as const, responses });
export const databaseHandler: AppRouteHandler<typeof databaseRoute> = (c) => {
  const db: Database = c.get('db');
  // @ts-expect-error a database alone does not make a signed-in user
  c.get('userId');
  return c.body(db ? null : null, 204);
};

const userRoute = authenticatedRoute({ method: 'get', path: '/me', responses });
export const userHandler: AppRouteHandler<typeof userRoute> = (c) => {
  const userId: UserId = c.get('userId');
  // @ts-expect-error authenticatedRoute adds requireUser, not the database
  c.get('db');
  return c.body(userId ? null : null, 204);
};

const userDatabaseRoute = authenticatedRoute({
  method: 'get',
  path: '/tasks',
  middleware: [withDatabase] as const,
  responses,
});
export const userDatabaseHandler: AppRouteHandler<typeof userDatabaseRoute> = (c) => {
  const both: [UserId, Database] = [c.get('userId'), c.get('db')];
  return c.body(both ? null : null, 204);
};

// The same declaration documents the route: security scheme and 401 come with requireUser, first.
export const documented: typeof BEARER_SECURITY = userRoute.security;
export const unauthorizedDocumented: string = userRoute.responses[401].description;
export const enforcedFirst: typeof requireUser = userDatabaseRoute.middleware[0];
// @ts-expect-error a route made by createRoute declares no 401 unless it says so
export const notDocumented: string = publicRoute.responses[401].description;
