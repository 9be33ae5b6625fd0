// The bindings of a `wrangler dev` Worker for a Node test: the test database, SQL endpoint and outbox of
// the global setup, bcrypt at the lowest cost, a secret of its own; plus whatever the test adds.
import { inject } from 'vitest';

export function testWorkerBindings(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    APP_ENV: 'test',
    BETTER_AUTH_SECRET: `${name}-test-secret-0123456789-abcdefghijklmnop`,
    DATABASE_URL: inject('databaseUrl'),
    LOCAL_DB_HTTP: new URL(inject('sqlEndpoint')).host,
    LOCAL_OUTBOX: inject('outbox'),
    BCRYPT_COST: '4',
    ...extra,
  };
}
