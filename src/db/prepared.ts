// Statements whose text Drizzle builds once per isolate and query shape, then runs with each request's
// values. Building a statement (the query builder, then walking its SQL chunks into text and parameters)
// was the largest share of the Worker's own CPU per request; the text of one shape never changes, only
// its values do. Drizzle stays the one place SQL is written: a shape is built with `sql.placeholder`s
// where values go (`parameter(name)`), and Drizzle's `fillPlaceholders` puts the values in.
//
// The rule that keeps this safe: a builder reads only its shape and placeholders. A shape is plain data
// and is its own key (as JSON), so two requests share a text only when everything it was built from is
// equal; a value spliced into a text would be served to every later request.
import { fillPlaceholders, type Query, type SQLWrapper, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

const dialect = new PgDialect();

export type StatementValues = Record<string, unknown>;

/**
 * Drizzle's placeholder named `name`, typed as the value it stands for, so that the functions that
 * write SQL for values (conditions, CTEs) write it for a prepared shape unchanged.
 */
export function parameter<T>(name: string): T {
  return sql.placeholder(name) as unknown as T;
}

/**
 * Statements of one kind, built by `build(shape, db)` the first time a shape is run. `db` only lends its
 * query builders (`db.update(…)`); nothing of it stays in the text.
 */
export function preparedStatements<Shape extends object>(build: (shape: Shape, db: Database) => SQLWrapper) {
  const built = new Map<string, Query>();
  const queryOf = (db: Database, shape: Shape): Query => {
    const key = JSON.stringify(shape);
    let query = built.get(key);
    if (!query) {
      query = dialect.sqlToQuery(build(shape, db).getSQL());
      built.set(key, query);
    }
    return query;
  };
  return {
    /** Runs the shape with these values; rows keyed by column name. One statement, one round trip. */
    async run(db: Database, shape: Shape, values: StatementValues): Promise<Record<string, unknown>[]> {
      const query = queryOf(db, shape);
      const result = await db.$client.query(query.sql, fillPlaceholders(query.params, values), { fullResults: true });
      return result.rows as Record<string, unknown>[];
    },
    /** The text and parameters `run` sends (for tests that EXPLAIN exactly what runs). */
    query(db: Database, shape: Shape, values: StatementValues): Query {
      const query = queryOf(db, shape);
      return { sql: query.sql, params: fillPlaceholders(query.params, values) };
    },
  };
}
