// Migrations through the real drizzle-kit and the project's scripts, on real PostgreSQL.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT } from '../../scripts/lib/migrations.ts';
import { createPreAccountsDatabase, PRE_ACCOUNTS_SQL, tasksChecksum, withClient } from '../support/pre-accounts.ts';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.ts';

const run = promisify(execFile);
// 0000 pre-accounts tasks, 0001 accounts, 0002 idempotency keys, 0003 sessions, 0004 task versions,
// 0005 bigint task ids, 0006 their sequence, 0007 email tokens and users.email_verified_at, 0008 retired
// refresh tokens, 0009 external identities (users.email and password_hash nullable), 0010 both or neither,
// 0011 credential versions (users and sessions), 0012 the per-user change sequence (user_change_counters,
// task_changes), 0013 numbering the tasks that exist before it, 0014 user_change_counters.live_until.
const MIGRATION_COUNT = 15;

function npmRun(script: string, url: string) {
  return run('npm', ['run', '--silent', script], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } });
}

/** Everything about the public schema that a migration could change, as comparable text. */
async function schemaShape(client: pg.Client): Promise<string> {
  const columns = await client.query(
    `select table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
       from information_schema.columns where table_schema = 'public' order by table_name, column_name`,
  );
  const indexes = await client.query(
    `select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`,
  );
  const constraints = await client.query(
    `select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as def
       from pg_constraint where connamespace = 'public'::regnamespace order by conname`,
  );
  return JSON.stringify([columns.rows, indexes.rows, constraints.rows]);
}

/** The types of tasks.id, idempotency_keys.task_id and the sequence behind tasks.id, with its maximum. */
async function idTypes(client: pg.Client) {
  const { rows } = await client.query(
    `select (select data_type from information_schema.columns where table_name = 'tasks' and column_name = 'id') as id,
            (select data_type from information_schema.columns
              where table_name = 'idempotency_keys' and column_name = 'task_id') as task_id,
            (select format_type(seqtypid, null) || ' ' || seqmax from pg_sequence
              where seqrelid = pg_get_serial_sequence('tasks', 'id')::regclass) as sequence`,
  );
  return rows[0];
}
/** Users (without email_verified_at) and sessions (without credential_version), as comparable rows. */
async function userAndSessionRows(client: pg.Client) {
  const users = await client.query('select id, email, password_hash, created_at, updated_at from users order by id');
  const sessions = await client.query('select * from sessions order by id');
  return { users: users.rows, sessions: sessions.rows.map(({ credential_version: _, ...row }) => row) };
}

const BIGINT_IDS = { id: 'bigint', task_id: 'bigint', sequence: 'bigint 9007199254740991' };
const INTEGER_IDS = { id: 'integer', task_id: 'integer', sequence: 'integer 2147483647' };

describe('fresh database', () => {
  it('has every index and the cascading foreign key', async () => {
    await withClient(inject('databaseUrl'), async (client) => {
      const { rows: indexes } = await client.query(
        `select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`,
      );
      const byName = Object.fromEntries(indexes.map((row) => [row.indexname, row.indexdef]));
      expect(byName.ux_users_email_lower).toMatch(/CREATE UNIQUE INDEX .* USING btree \(lower\(\(email\)::text\)\)/);
      expect(byName.ix_tasks_user_id).toMatch(/USING btree \(user_id\)$/);
      expect(byName.ix_tasks_user_created).toMatch(/USING btree \(user_id, created_at, id\)$/);

      const { rows: fks } = await client.query(
        `select conname, pg_get_constraintdef(oid) as def from pg_constraint where conname = 'fk_tasks_user_id'`,
      );
      expect(fks).toHaveLength(1);
      expect(fks[0].def).toBe('FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE');
      const { rows: sessionFk } = await client.query(
        `select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'fk_sessions_user_id'`,
      );
      expect(sessionFk[0].def).toBe('FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE');
      expect(byName.ux_sessions_refresh_token_hash).toMatch(
        /CREATE UNIQUE INDEX .* USING btree \(refresh_token_hash\)$/,
      );
      expect(byName.ix_sessions_user_created).toMatch(/USING btree \(user_id, created_at\)$/);

      const { rows: checks } = await client.query(
        `select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'ck_users_password_hash_length'`,
      );
      expect(checks[0].def).toMatch(/char_length\(\(password_hash\)::text\) = 60/);

      const { rows: userId } = await client.query(
        `select is_nullable, character_maximum_length from information_schema.columns
          where table_name = 'tasks' and column_name = 'user_id'`,
      );
      expect(userId[0]).toEqual({ is_nullable: 'YES', character_maximum_length: 36 });
      expect(await idTypes(client)).toEqual(BIGINT_IDS);

      expect(byName.email_tokens_pkey).toMatch(/USING btree \(token_hash\)$/);
      expect(byName.ix_email_tokens_user_purpose_created).toMatch(/USING btree \(user_id, purpose, created_at\)$/);
      const { rows: tokenFk } = await client.query(
        `select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'fk_email_tokens_user_id'`,
      );
      expect(tokenFk[0].def).toBe('FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE');
      const { rows: verified } = await client.query(
        `select is_nullable, column_default, data_type from information_schema.columns
          where table_name = 'users' and column_name = 'email_verified_at'`,
      );
      expect(verified[0]).toEqual({ is_nullable: 'YES', column_default: null, data_type: 'timestamp with time zone' });
      const { rows: versions } = await client.query(
        `select table_name, is_nullable, column_default, data_type from information_schema.columns
          where column_name = 'credential_version' order by table_name`,
      );
      expect(versions).toEqual(
        ['sessions', 'users'].map((table_name) => ({
          table_name,
          is_nullable: 'NO',
          column_default: '1',
          data_type: 'integer',
        })),
      );
    });
  });

  it('a user has an email and a password hash together (signup) or neither (external issuer), nothing between', async () => {
    await withClient(inject('databaseUrl'), async (client) => {
      const hash = `$2b$12$${'h'.repeat(53)}`;
      const insert = (email: string | null, passwordHash: string | null) =>
        client.query('insert into users (email, password_hash) values ($1, $2) returning id', [email, passwordHash]);
      const both = await insert('both@x.test', hash);
      const neither = await insert(null, null);
      await expect(insert('no-password@x.test', null)).rejects.toThrow(/ck_users_email_with_password/);
      await expect(insert(null, hash)).rejects.toThrow(/ck_users_email_with_password/);
      await expect(
        client.query('update users set password_hash = null where id = $1', [both.rows[0].id]),
      ).rejects.toThrow(/ck_users_email_with_password/);
      await client.query('delete from users where id = any($1)', [[both.rows[0].id, neither.rows[0].id]]);
    });
  });

  it('email_tokens accepts only the two purposes', async () => {
    await withClient(inject('databaseUrl'), async (client) => {
      const { rows } = await client.query(
        `insert into users (email, password_hash) values ('purpose@x.test', $1) returning id`,
        [`$2b$12$${'d'.repeat(53)}`],
      );
      const insert = (purpose: string) =>
        client.query(
          `insert into email_tokens (token_hash, user_id, purpose, email, expires_at)
           values (md5(random()::text), $1, $2, 'purpose@x.test', now() + interval '1 hour')`,
          [rows[0].id, purpose],
        );
      await insert('password_reset');
      await insert('verify_email');
      await expect(insert('magic_link')).rejects.toThrow(/ck_email_tokens_purpose/);
      await client.query('delete from users where id = $1', [rows[0].id]);
      const left = await client.query('select count(*)::int as n from email_tokens where user_id = $1', [rows[0].id]);
      expect(left.rows[0].n).toBe(0);
    });
  });

  it('ON DELETE CASCADE removes exactly the deleted user\u2019s tasks', async () => {
    await withClient(inject('databaseUrl'), async (client) => {
      const hash = `$2b$12$${'a'.repeat(53)}`;
      const { rows } = await client.query(
        `insert into users (email, password_hash) values ('cascade-a@x.test', $1), ('cascade-b@x.test', $1) returning id`,
        [hash],
      );
      const [a, b] = rows.map((row) => row.id as string);
      await client.query(
        `insert into tasks (title, user_id) values ('a1', $1), ('a2', $1), ('b1', $2), ('legacy-cascade', null)`,
        [a, b],
      );
      await client.query('delete from users where id = $1', [a]);
      const { rows: left } = await client.query(
        `select title from tasks where title in ('a1', 'a2', 'b1', 'legacy-cascade') order by title`,
      );
      expect(left.map((row) => row.title)).toEqual(['b1', 'legacy-cascade']);
    });
  });
});

describe('upgrading a populated pre-accounts database', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createPreAccountsDatabase('upgrade', 300);
  });
  afterAll(() => db.drop());

  it('db:migrate adopts it, keeps every row byte-identical with user_id NULL, and a second run is a no-op', async () => {
    const before = await withClient(db.url, tasksChecksum);
    expect(before.count).toBe(300);

    const first = await npmRun('db:migrate', db.url);
    expect(first.stdout).toMatch(/adopted an existing pre-accounts database/);

    await withClient(db.url, async (client) => {
      expect(await tasksChecksum(client)).toEqual(before);
      const { rows } = await client.query('select count(*)::int as n from tasks where user_id is not null');
      expect(rows[0].n).toBe(0);
      const versions = await client.query('select count(*)::int as n from tasks where version = 1');
      expect(versions.rows[0].n).toBe(300);
      expect(await idTypes(client)).toEqual(BIGINT_IDS);
      // The sequence carries on from the pre-accounts rows.
      const next = await client.query(
        `insert into tasks (title, created_at, updated_at) values ('after upgrade', now(), now()) returning id`,
      );
      expect(Number(next.rows[0].id)).toBe(301);
      const tokens = await client.query(`select to_regclass('public.email_tokens') is not null as present`);
      expect(tokens.rows[0].present).toBe(true);
      await client.query(`delete from tasks where title = 'after upgrade'`);
      const journal = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(journal.rows[0].n).toBe(MIGRATION_COUNT);
    });

    const shapeAfterFirst = await withClient(db.url, schemaShape);
    const second = await npmRun('db:migrate', db.url);
    expect(second.stdout).not.toMatch(/adopted/);
    await withClient(db.url, async (client) => {
      expect(await schemaShape(client)).toBe(shapeAfterFirst);
      expect(await tasksChecksum(client)).toEqual(before);
      const journal = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(journal.rows[0].n).toBe(MIGRATION_COUNT);
    });
  });
});

describe('rollback', () => {
  it('rollbacks (0014 … 0001) return the schema to exactly 0000 with every task row intact, and can migrate forward again', async () => {
    const reference = await createScratchDatabase(inject('serverUrl'), 'ref0000');
    const db = await createPreAccountsDatabase('rollback', 200);
    try {
      const shape0000 = await withClient(reference.url, async (client) => {
        await client.query(PRE_ACCOUNTS_SQL);
        return schemaShape(client);
      });
      await npmRun('db:migrate', db.url);
      const before = await withClient(db.url, tasksChecksum);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(
          `insert into users (email, password_hash) values ('rb@x.test', $1) returning id`,
          [`$2b$12$${'b'.repeat(53)}`],
        );
        await client.query(
          `insert into sessions (user_id, refresh_token_hash, idle_expires_at, expires_at)
           values ($1, repeat('a', 64), now() + interval '1 day', now() + interval '2 days')`,
          [rows[0].id],
        );
        await client.query(`update users set email_verified_at = now() where id = $1`, [rows[0].id]);
        await client.query(
          `insert into email_tokens (token_hash, user_id, purpose, email, expires_at)
           values (repeat('e', 64), $1, 'password_reset', 'rb@x.test', now() + interval '30 minutes')`,
          [rows[0].id],
        );
      });
      const rowsBefore0007 = await withClient(db.url, userAndSessionRows);

      await withClient(db.url, (client) =>
        client.query(
          `insert into retired_refresh_tokens (token_hash, session_id) select repeat('r', 64), id from sessions limit 1`,
        ),
      );
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(`insert into users (id) values (gen_random_uuid()) returning id`);
        await client.query(
          `insert into external_identities (issuer, subject, user_id) values ('https://auth.example', 'sub-1', $1)`,
          [rows[0].id],
        );
      });
      // 0014 drops live_until and nothing else.
      const counterColumns = () =>
        withClient(db.url, async (client) => {
          const { rows } = await client.query(
            `select column_name from information_schema.columns where table_name = 'user_change_counters' order by 1`,
          );
          return rows.map((row) => row.column_name);
        });
      expect(await counterColumns()).toEqual(['forgotten_seq', 'last_seq', 'live_until', 'user_id']);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0014_live_until/);
      expect(await counterColumns()).toEqual(['forgotten_seq', 'last_seq', 'user_id']);
      expect(await withClient(db.url, tasksChecksum)).toEqual(before);
      // 0013 changes no schema; 0012 drops the change sequence and nothing else.
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0013_number_existing_tasks/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0012_change_sequence/);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(
          `select to_regclass('public.task_changes') is null and to_regclass('public.user_change_counters') is null as gone`,
        );
        expect(rows[0].gone).toBe(true);
        expect(await tasksChecksum(client)).toEqual(before);
      });
      // 0011 drops the credential versions of users and sessions, every row kept. A session whose version
      // is behind its user's (a signin that raced a password change) is live again under the old Worker.
      await withClient(db.url, (client) => client.query('update users set credential_version = 2'));
      const rowsBefore0011 = await withClient(db.url, userAndSessionRows);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0011_credential_version/);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(
          `select count(*)::int as n from information_schema.columns where column_name = 'credential_version'`,
        );
        expect(rows[0].n).toBe(0);
        expect(await userAndSessionRows(client)).toEqual(rowsBefore0011);
      });
      // 0010 drops only its constraint.
      const usersBefore0010 = await withClient(db.url, userAndSessionRows);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0010_users_email_with_password/);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(
          `select count(*)::int as n from pg_constraint where conname = 'ck_users_email_with_password'`,
        );
        expect(rows[0].n).toBe(0);
        expect(await userAndSessionRows(client)).toEqual(usersBefore0010);
      });
      // Re-applying 0010 (and 0011 after it, in the same transaction) over a row with an email and no
      // password fails as a whole, changing nothing.
      const halfRow = await withClient(db.url, async (client) => {
        const { rows } = await client.query(`insert into users (email) values ('half@x.test') returning id`);
        return rows[0].id as string;
      });
      await expect(npmRun('db:migrate', db.url)).rejects.toThrow(/ck_users_email_with_password/);
      await withClient(db.url, async (client) => {
        const journal = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
        expect(journal.rows[0].n).toBe(MIGRATION_COUNT - 5);
        await client.query('delete from users where id = $1', [halfRow]);
        expect(await userAndSessionRows(client)).toEqual(usersBefore0010);
      });
      // 0009 refuses while a user of an external issuer exists (it would be lost), changing nothing.
      await expect(npmRun('db:rollback', db.url)).rejects.toThrow(/rollback of 0009 refused: 1 user\(s\)/);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query('select count(*)::int as n from external_identities');
        expect(rows[0].n).toBe(1);
        await client.query('delete from users where email is null');
      });
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0009_external_identities/);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(
          `select to_regclass('public.external_identities') is null as gone,
                  (select count(*)::int from information_schema.columns
                    where table_name = 'users' and column_name in ('email', 'password_hash') and is_nullable = 'NO') as required`,
        );
        expect(rows[0]).toEqual({ gone: true, required: 2 });
        expect(await userAndSessionRows(client)).toEqual(rowsBefore0007);
      });
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0008_retired_refresh_tokens/);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(`select to_regclass('public.retired_refresh_tokens') is null as gone`);
        expect(rows[0].gone).toBe(true);
        expect(await userAndSessionRows(client)).toEqual(rowsBefore0007);
      });
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0007_email_tokens/);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(
          `select to_regclass('public.email_tokens') is null as gone,
                  (select count(*)::int from information_schema.columns
                    where table_name = 'users' and column_name = 'email_verified_at') as verified_columns`,
        );
        expect(rows[0]).toEqual({ gone: true, verified_columns: 0 });
        expect(await userAndSessionRows(client)).toEqual(rowsBefore0007);
        expect(await tasksChecksum(client)).toEqual(before);
      });
      // Re-upgrade from 0006: every user and session row is still there, now unverified.
      await npmRun('db:migrate', db.url);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0014_live_until/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0013_number_existing_tasks/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0012_change_sequence/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0011_credential_version/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0010_users_email_with_password/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0009_external_identities/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0008_retired_refresh_tokens/);
      await withClient(db.url, async (client) => {
        expect(await userAndSessionRows(client)).toEqual(rowsBefore0007);
        const { rows } = await client.query('select count(*)::int as n from users where email_verified_at is not null');
        expect(rows[0].n).toBe(0);
        expect(await tasksChecksum(client)).toEqual(before);
      });
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0007_email_tokens/);

      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0006_task_id_sequence_bigint/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0005_bigint_task_ids/);
      await withClient(db.url, async (client) => {
        expect(await idTypes(client)).toEqual(INTEGER_IDS);
        expect(await tasksChecksum(client)).toEqual(before);
      });
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0004_task_versions/);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(
          `select count(*)::int as n from information_schema.columns where table_name = 'tasks' and column_name = 'version'`,
        );
        expect(rows[0].n).toBe(0);
        expect(await tasksChecksum(client)).toEqual(before);
      });
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0003_sessions/);
      await withClient(db.url, async (client) => {
        const { rows } = await client.query(`select to_regclass('public.sessions') is null as gone`);
        expect(rows[0].gone).toBe(true);
        expect(await tasksChecksum(client)).toEqual(before);
      });
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0002_idempotency_keys/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0001_accounts/);
      await expect(npmRun('db:rollback', db.url)).rejects.toThrow(/nothing to roll back/);
      await withClient(db.url, async (client) => {
        expect(await schemaShape(client)).toBe(shape0000);
        expect(await tasksChecksum(client)).toEqual(before);
      });

      await npmRun('db:migrate', db.url);
      await withClient(db.url, async (client) => {
        expect(await tasksChecksum(client)).toEqual(before);
        const { rows } = await client.query(
          `select to_regclass('public.users') is not null as users, to_regclass('public.sessions') is not null as sessions`,
        );
        expect(rows[0]).toEqual({ users: true, sessions: true });
        expect(await idTypes(client)).toEqual(BIGINT_IDS);
        const journal = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
        expect(journal.rows[0].n).toBe(MIGRATION_COUNT);
      });
    } finally {
      await db.drop();
      await reference.drop();
    }
  }, 240_000); // about 30 `npm run` processes, each a second or more on a busy machine
});

describe('listing plan', () => {
  it('"this user\u2019s tasks, newest first, limit 20" on 100k rows is an index scan on ix_tasks_user_created, no Sort', async () => {
    const db = await createScratchDatabase(inject('serverUrl'), 'explain');
    try {
      await npmRun('db:migrate', db.url);
      await withClient(db.url, async (client) => {
        const hash = `$2b$12$${'c'.repeat(53)}`;
        await client.query(
          `insert into users (email, password_hash) select 'u' || i || '@x.test', $1 from generate_series(1, 500) i`,
          [hash],
        );
        await client.query(
          `insert into tasks (title, user_id, created_at, updated_at)
           select 'task ' || i, u.id, timestamp '2026-01-01' + i * interval '1 second', timestamp '2026-01-01'
             from generate_series(1, 100000) i
             join (select id, row_number() over (order by id) - 1 as n from users) u on u.n = i % 500`,
        );
        await client.query('analyze');
        const { rows: users } = await client.query('select id from users order by id limit 1');
        const { rows } = await client.query(
          `explain (format json)
           select * from tasks where user_id = $1 order by created_at desc, id desc limit 20`,
          [users[0].id],
        );
        const plan = JSON.stringify(rows[0]['QUERY PLAN']);
        expect(plan).toContain('"Index Name":"ix_tasks_user_created"');
        expect(plan).toMatch(/"Node Type":"Index Scan"/);
        expect(plan).not.toContain('"Node Type":"Sort"');
        const count = await client.query('select count(*)::int as n from tasks');
        expect(count.rows[0].n).toBe(100000);
      });
    } finally {
      await db.drop();
    }
  });
});

describe('0013 numbers the tasks that exist before the change sequence', () => {
  it('per user, in the order of their last change, after any number the user has; a second run numbers only new tasks', async () => {
    const db = await createScratchDatabase(inject('serverUrl'), 'number');
    try {
      await npmRun('db:migrate', db.url);
      const [a, b, taskOfB] = await withClient(db.url, async (client) => {
        const hash = `$2b$12$${'n'.repeat(53)}`;
        const { rows } = await client.query(
          `insert into users (email, password_hash) values ('na@x.test', $1), ('nb@x.test', $1) returning id`,
          [hash],
        );
        const [a, b] = rows.map((row) => row.id as string);
        // Written as the previous version of the API wrote tasks: no numbers. a's are changed out of id order.
        await client.query(
          `insert into tasks (title, user_id, updated_at) values
             ('a1', $1, '2026-01-03'), ('a2', $1, '2026-01-01'), ('a3', $1, '2026-01-02'),
             ('b-numbered', $2, '2026-01-01'), ('b1', $2, '2026-01-05'), ('b2', $2, '2026-01-04'),
             ('legacy', null, '2026-01-01')`,
          [a, b],
        );
        // b already has numbers 1…5, the last on one of its tasks.
        const numbered = await client.query(`select id from tasks where title = 'b-numbered'`);
        await client.query(`insert into user_change_counters (user_id, last_seq) values ($1, 5)`, [b]);
        await client.query(`insert into task_changes (user_id, task_id, seq) values ($1, $2, 5)`, [
          b,
          numbered.rows[0].id,
        ]);
        return [a, b, numbered.rows[0].id as string];
      });
      const numbers = () =>
        withClient(db.url, async (client) => {
          const { rows } = await client.query(
            `select t.title, c.seq::int from task_changes c join tasks t on t.id = c.task_id order by c.user_id, c.seq`,
          );
          const counters = await client.query(
            'select user_id, last_seq::int from user_change_counters where user_id = any($1) order by user_id',
            [[a, b]],
          );
          return {
            changes: rows,
            counters: Object.fromEntries(counters.rows.map((row) => [row.user_id, row.last_seq])),
          };
        });
      // 0013 ran once already, on no tasks; roll it back (0014 first) and migrate again to run it on these.
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0014_live_until/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0013_number_existing_tasks/);
      await npmRun('db:migrate', db.url);
      const first = await numbers();
      const byUser = (user: string, titles: string[], seqs: number[]) =>
        titles.map((title, i) => ({ title, seq: seqs[i], user }));
      const expected = [
        ...byUser(a, ['a2', 'a3', 'a1'], [1, 2, 3]),
        ...byUser(b, ['b-numbered', 'b2', 'b1'], [5, 6, 7]),
      ].sort((x, y) => (x.user === y.user ? 0 : x.user < y.user ? -1 : 1));
      expect(first.changes).toEqual(expected.map(({ title, seq }) => ({ title, seq })));
      expect(first.counters).toEqual({ [a]: 3, [b]: 7 });
      expect(taskOfB).toBeTruthy();
      // Again: nothing new to number, nothing changes.
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0014_live_until/);
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0013_number_existing_tasks/);
      await npmRun('db:migrate', db.url);
      expect(await numbers()).toEqual(first);
    } finally {
      await db.drop();
    }
  }, 120_000);
});

describe('0014 live_until', () => {
  it('a database in use calls the Durable Object after every write for 31 days (tickets of the Worker before it were not recorded); a new one only after a ticket', async () => {
    const db = await createScratchDatabase(inject('serverUrl'), 'liveuntil');
    try {
      const hash = `$2b$12$${'l'.repeat(53)}`;
      const addUser = (email: string) =>
        withClient(db.url, async (client) => {
          const { rows } = await client.query(`insert into users (email, password_hash) values ($1, $2) returning id`, [
            email,
            hash,
          ]);
          await client.query(`insert into user_change_counters (user_id, last_seq) values ($1, 1)`, [rows[0].id]);
          return rows[0].id as string;
        });
      /** Days from now to each user's live_until (null: -infinity). */
      const daysAhead = (users: string[]) =>
        withClient(db.url, async (client) => {
          const { rows } = await client.query(
            `select case when live_until = '-infinity' then null
                         else round(extract(epoch from live_until - now()) / 86400, 2)::float end as days
               from user_change_counters where user_id = any($1) order by array_position($1, user_id)`,
            [users],
          );
          return rows.map((row) => row.days);
        });

      await npmRun('db:migrate', db.url);
      const fresh = await addUser('fresh@x.test');
      expect(await daysAhead([fresh])).toEqual([null]);

      // As if 0014 had not run yet on a database with users and counter rows.
      expect((await npmRun('db:rollback', db.url)).stdout).toMatch(/rolled back 0014_live_until/);
      const existing = await addUser('existing@x.test');
      await npmRun('db:migrate', db.url);
      // A counter row created after the migration (by either Worker) gets the same moment.
      const later = await addUser('later@x.test');
      const [fromExisting, fromFresh, fromLater] = await daysAhead([existing, fresh, later]);
      expect(fromExisting).toBeGreaterThan(30.99);
      expect(fromExisting).toBeLessThanOrEqual(31);
      expect(fromFresh).toBe(fromExisting);
      expect(fromLater).toBe(fromExisting);
    } finally {
      await db.drop();
    }
  }, 120_000);
});
