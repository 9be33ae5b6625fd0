// patches/drizzle-orm+0.45.4.patch (README, Performance: bundle): pgTable's callback form, which put every
// pg column type into the Worker bundle, is refused with a message saying why; the object form is unchanged.
import { pgTable, text } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';

describe('drizzle-orm patch', () => {
  it('refuses pgTable(name, (t) => …) and names the patch', () => {
    expect(() => pgTable('things', (t) => ({ name: t.text() }))).toThrow(/callback form is disabled by a patch/);
  });

  it('builds a table from an object of columns as before', () => {
    const things = pgTable('things', { name: text('name').notNull() });
    expect(things.name.name).toBe('name');
    expect(things.name.notNull).toBe(true);
  });
});
