// `npm run tasks:assign-legacy`: reports without --email, assigns every NULL-owner task with it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate, ROOT } from '../../scripts/lib/migrations.ts';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.ts';

const run = promisify(execFile);

describe('tasks:assign-legacy', () => {
  let db: ScratchDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createScratchDatabase(inject('serverUrl'), 'legacy');
    await migrate(db.url, 'pipe');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      `insert into users (email, password_hash) values ('owner@x.test', $1), ('other@x.test', $1) returning id`,
      [`$2b$12$${'l'.repeat(53)}`],
    );
    await client.query(`insert into tasks (title) select 'legacy ' || i from generate_series(1, 7) i`);
    await client.query(`insert into tasks (title, user_id) values ('owned by other', $1)`, [rows[1].id]);
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  const assign = (...args: string[]) =>
    run('npm', ['run', '--silent', 'tasks:assign-legacy', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url },
    });

  it('without --email it reports the count and changes nothing', async () => {
    const { stdout } = await assign();
    expect(stdout).toMatch(/^7 legacy task/);
    const { rows } = await client.query('select count(*)::int as n from tasks where user_id is null');
    expect(rows[0].n).toBe(7);
  });

  it('an unknown email changes nothing and fails', async () => {
    await expect(assign('--email', 'nobody@x.test')).rejects.toMatchObject({ code: 1 });
    const { rows } = await client.query('select count(*)::int as n from tasks where user_id is null');
    expect(rows[0].n).toBe(7);
  });

  it('with --email (any case) it assigns every legacy task to that user, leaves others alone, and prints the count', async () => {
    const { stdout } = await assign('--email', ' OWNER@X.test ');
    expect(stdout).toMatch(/assigned 7 legacy task/);
    const { rows } = await client.query(
      `select u.email, count(*)::int as n from tasks t left join users u on u.id = t.user_id group by u.email order by u.email`,
    );
    expect(rows).toEqual([
      { email: 'other@x.test', n: 1 },
      { email: 'owner@x.test', n: 7 },
    ]);
    // Numbered in the owner's change sequence, so the owner's clients see them in GET /api/tasks/changes.
    const numbered = await client.query(
      `select c.seq::int, n.last_seq::int from task_changes c
         join users u on u.id = c.user_id join user_change_counters n on n.user_id = u.id
        where u.email = 'owner@x.test' order by c.seq`,
    );
    expect(numbered.rows.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(numbered.rows[0].last_seq).toBe(7);
    expect((await assign()).stdout).toMatch(/^0 legacy task/);
  });
});
