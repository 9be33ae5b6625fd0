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
export function changeInBatches(
  db: Database,
  table: Table,
  key: Column,
  condition: SQL,
  change: 'delete' | SQL,
  batchSize = 1000,
  maxBatches = 100,
): Promise<number> {
  const action = change === 'delete' ? sql`delete from ${table}` : sql`update ${table} set ${change}`;
  return repeatBatches(
    db,
    sql`
      with changed as (
        ${action} where ${key} in (
          select ${key} from ${table} where ${condition} limit ${batchSize} for update skip locked)
        returning 1)
      select count(*)::int as n from changed`,
    batchSize,
    maxBatches,
  );
}

/**
 * Runs `batch` (one statement that handles at most `batchSize` rows and answers their count as `n`)
 * until a run handles fewer, or `maxBatches` times. Returns the total.
 */
export async function repeatBatches(db: Database, batch: SQL, batchSize: number, maxBatches: number): Promise<number> {
  let total = 0;
  for (let run = 0; run < maxBatches; run++) {
    const { rows } = await db.execute<{ n: number }>(batch);
    const n = Number(rows[0]?.n ?? 0);
    total += n;
    if (n < batchSize) break;
  }
  return total;
}
