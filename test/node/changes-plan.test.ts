// The statement of GET /api/tasks/changes at scale: one user's changes among a million of other users'.
// Asserted: an index scan on ux_task_changes_user_seq (user_id, seq) bounded by the page, no Sort node,
// no other user's row read. Printed (not asserted, they depend on the machine): the plan, and the p50
// of the statement (as PostgreSQL executes it, and as a round trip from here) small vs large.
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, inject, it } from 'vitest';
import { migrate } from '../../scripts/lib/migrations.ts';
import { toUserId } from '../../src/auth/user-id.ts';
import { listChangesStatement } from '../../src/tasks/changes.ts';
import { createScratchDatabase, withClient } from '../support/scratch-database.ts';

const OTHER_CHANGES = Number(process.env.CHANGES_PLAN_ROWS ?? 1_000_000);
const MINE = 20_000;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('changes plan', () => {
  it(`"my changes after n, 100 of them" among ${OTHER_CHANGES} changes of other users: index range scan on (user_id, seq), no Sort`, {
    timeout: 600_000,
  }, async () => {
    const db = await createScratchDatabase(inject('serverUrl'), 'changesplan');
    try {
      await migrate(db.url, 'pipe');
      await withClient(db.url, async (client) => {
        const hash = `$2b$12$${'q'.repeat(53)}`;
        const { rows } = await client.query(
          `insert into users (email, password_hash) values ('me@x.test', $1) returning id`,
          [hash],
        );
        const me = rows[0].id as string;
        const { rows: sessions } = await client.query(
          `insert into sessions (user_id, refresh_token_hash, idle_expires_at, expires_at)
           values ($1, repeat('s', 64), now() + interval '1 day', now() + interval '2 days') returning id`,
          [me],
        );
        const caller = { userId: toUserId(me), sessionId: sessions[0].id as string };
        // My tasks, each changed once (numbers 1…MINE), every tenth deleted.
        await client.query(`insert into tasks (title, user_id) select 'mine ' || i, $1 from generate_series(1, $2) i`, [
          me,
          MINE,
        ]);
        await client.query(`insert into user_change_counters (user_id, last_seq) values ($1, $2)`, [me, MINE]);
        await client.query(
          `insert into task_changes (user_id, task_id, seq, deleted)
           select user_id, id, row_number() over (order by id), false from tasks where user_id = $1`,
          [me],
        );
        await client.query(`update task_changes set deleted = true where user_id = $1 and seq % 10 = 0`, [me]);
        await client.query(
          `delete from tasks where id in (select task_id from task_changes where user_id = $1 and deleted)`,
          [me],
        );

        const since = MINE / 2;
        const query = new PgDialect().sqlToQuery(listChangesStatement(caller, since, 100));
        const measure = async (label: string) => {
          await client.query('analyze');
          const explain = await client.query(`explain (analyze, buffers, format json) ${query.sql}`, query.params);
          const plan = explain.rows[0]['QUERY PLAN'][0] as { Plan: PlanNode; 'Execution Time': number };
          const executions: number[] = [];
          const roundTrips: number[] = [];
          for (let run = 0; run < 60; run++) {
            const timed = await client.query(`explain (analyze, format json) ${query.sql}`, query.params);
            executions.push(timed.rows[0]['QUERY PLAN'][0]['Execution Time']);
            const started = performance.now();
            const result = await client.query(query.sql, query.params);
            roundTrips.push(performance.now() - started);
            expect(result.rows.length).toBe(101);
          }
          const { rows: count } = await client.query('select count(*)::int as n from task_changes');
          console.info(
            `changes statement, ${label} (${count[0].n} change rows): p50 execution ${median(executions).toFixed(3)} ms, ` +
              `p50 round trip ${median(roundTrips).toFixed(3)} ms`,
          );
          return plan;
        };
        const small = await measure('small');

        // A million changes of 2,000 other users (and their counters), then the same statement again.
        await client.query(
          `insert into users (id, email, password_hash)
           select gen_random_uuid(), 'other' || i || '@x.test', $1 from generate_series(1, 2000) i`,
          [hash],
        );
        await client.query(
          `insert into user_change_counters (user_id, last_seq) select id, $1 / 2000 from users where id <> $2`,
          [OTHER_CHANGES, me],
        );
        await client.query(
          `insert into task_changes (user_id, task_id, seq, deleted)
           select u.id, 1000000000 + i, i / 2000 + 1, i % 7 = 0
             from generate_series(0, $1 - 1) i
             join (select id, row_number() over (order by id) - 1 as n from users where id <> $2) u on u.n = i % 2000`,
          [OTHER_CHANGES, me],
        );
        const large = await measure('large');
        const text = await client.query(`explain (analyze, buffers, costs off) ${query.sql}`, query.params);
        console.info(`changes plan (large):\n${text.rows.map((row) => row['QUERY PLAN']).join('\n')}`);

        for (const [label, plan] of [
          ['small', small],
          ['large', large],
        ] as const) {
          const all = nodes(plan.Plan);
          expect(
            all.map((node) => node['Node Type']),
            label,
          ).not.toContain('Sort');
          const changeScans = all.filter((node) => node['Relation Name'] === 'task_changes');
          expect(changeScans, label).toHaveLength(1);
          const [scan] = changeScans;
          expect(scan['Node Type'], label).toMatch(/^Index (Only )?Scan$/);
          expect(scan['Index Name'], label).toBe('ux_task_changes_user_seq');
          expect(scan['Index Cond'], label).toMatch(/user_id\)::text = .* AND \(seq > /);
          // The page and the one row that says there is more: nothing else read, nothing filtered away.
          expect(scan['Actual Rows'], label).toBe(101);
          expect(scan['Rows Removed by Filter'] ?? 0, label).toBe(0);
          const taskReads = all.filter((node) => node['Relation Name'] === 'tasks');
          expect(
            taskReads.every((node) => node['Index Name'] === 'tasks_pkey'),
            label,
          ).toBe(true);
        }
      });
    } finally {
      await db.drop();
    }
  });
});
