// Small SQL pieces that several repositories write the same way.
import { type Column, type SQL, sql, type Table } from 'drizzle-orm';
import type { Database } from './client.ts';

/** An interval of whole seconds, as a parameter (never text spliced into SQL). */
export function seconds(value: number): SQL {
  return sql`make_interval(secs => ${value}::int)`;
}

/**
 * Deletes (`change` 'delete') or updates (`change` a SET list) the rows of `table` matching `condition`,
 * in batches (`for update skip locked`), so that no statement holds many row locks or runs long; stops
 * after `maxBatches`. Returns how many rows were changed.
 */
export async function changeInBatches(
  db: Database,
  table: Table,
  key: Column,
  condition: SQL,
  change: 'delete' | SQL,
  batchSize = 1000,
  maxBatches = 100,
): Promise<number> {
  const action = change === 'delete' ? sql`delete from ${table}` : sql`update ${table} set ${change}`;
  let changed = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const { rows } = await db.execute(sql`
      ${action} where ${key} in (
        select ${key} from ${table} where ${condition} limit ${batchSize} for update skip locked)
      returning 1`);
    changed += rows.length;
    if (rows.length < batchSize) break;
  }
  return changed;
}
