// Reading rows of hand-written statements (CTEs, INSERT … SELECT) as Drizzle's row types, from the
// table definition itself: a new column needs no second column list here.
import { type Column, getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';

/** Column names as an INSERT column list wants them (unqualified). */
export function columnNames(...columns: Column[]): SQL {
  return sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
}

/**
 * A parameter cast to its column's type, so `INSERT … SELECT $1` needs no guessing by Postgres. The
 * length is left out (`varchar`, not `varchar(200)`): an explicit cast would silently truncate.
 */
export function typed(column: Column, value: unknown): SQL {
  return sql`${value}::${sql.raw(column.getSQLType().replace(/\(.*\)$/, ''))}`;
}

/** Maps a row keyed by Postgres column names (`user_id`, as `returning *` gives) to the table's row type. */
export function rowReader<T extends Table>(table: T): (raw: Record<string, unknown>) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table));
  // A plain loop: it runs for every row of every response, where entries arrays and fromEntries cost.
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  };
}
