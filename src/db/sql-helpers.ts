// Small SQL pieces that several repositories write the same way.
import { type Column, type SQL, sql, type Table } from 'drizzle-orm';
import type { Database } from './client.ts';

/** An interval of whole seconds, as a parameter (never text spliced into SQL). */
export function seconds(value: number): SQL {
  return sql`make_interval(secs => ${value}::int)`;
}

/**
 * Deletes the rows of `table` matching `condition` in batches (`for update skip locked`), so that no
 * statement holds many row locks or runs long; stops after `maxBatches`. Returns how many were deleted.
 */
export async function deleteInBatches(
  db: Database,
  table: Table,
  key: Column,
  condition: SQL,
  batchSize = 1000,
  maxBatches = 100,
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const { rows } = await db.execute(sql`
      delete from ${table} where ${key} in (
        select ${key} from ${table} where ${condition} limit ${batchSize} for update skip locked)
      returning 1`);
    deleted += rows.length;
    if (rows.length < batchSize) break;
  }
  return deleted;
}
