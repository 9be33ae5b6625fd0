// Statements built once per shape (src/db/prepared.ts): the text is built on a shape's first run only,
// each run sends its own values, and a shape is its own key: an equal shape (another object) shares the
// text, a shape that differs in anything gets a text of its own.
import { env } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/db/client.ts';
import { parameter, preparedStatements } from '../../../src/db/prepared.ts';

describe('preparedStatements', () => {
  const db = createDatabase(loadConfig(env as Bindings));

  it('builds a shape once and runs it with each run’s values', async () => {
    const builds: string[] = [];
    const statements = preparedStatements((shape: { label: string }) => {
      builds.push(shape.label);
      return sql`select ${parameter('n')}::int + 1 as next, ${shape.label}::text as label`;
    });
    expect(await statements.run(db, { label: 'first' }, { n: 1 })).toEqual([{ next: 2, label: 'first' }]);
    // An equal shape: not built again; the new value is used.
    expect(await statements.run(db, { label: 'first' }, { n: 41 })).toEqual([{ next: 42, label: 'first' }]);
    expect(builds).toEqual(['first']);
    // Another shape is another text, never the first one's.
    expect(await statements.run(db, { label: 'third' }, { n: 0 })).toEqual([{ next: 1, label: 'third' }]);
    expect(builds).toEqual(['first', 'third']);
  });

  it('refuses a run that lacks a placeholder’s value, before sending anything', async () => {
    const statements = preparedStatements(() => sql`select ${parameter('id')}::int as id`);
    await expect(statements.run(db, {}, {})).rejects.toThrow(/placeholder "id"/);
  });

  it('query() gives the text and the filled parameters that run() sends', () => {
    const statements = preparedStatements(() => sql`select ${parameter('a')}::text, ${parameter('b')}::int`);
    expect(statements.query(db, {}, { a: 'x', b: 7 })).toEqual({
      sql: 'select $1::text, $2::int',
      params: ['x', 7],
    });
  });
});
