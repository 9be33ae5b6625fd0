// Bulk data for benchmarks: users and tasks made server-side with generate_series in batches
// (one multi-row INSERT … SELECT per batch), with a progress bar on stderr.
import bcrypt from 'bcryptjs';
import pg from 'pg';

export const SEEDED_PASSWORD = 'seeded password';

function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

/**
 * Adds `users` users (email seed-<n>@example.test, password SEEDED_PASSWORD) and `tasks` tasks spread
 * evenly across them, with distinct creation times.
 */
export async function seed(url: string, options: { users: number; tasks: number; batch?: number }): Promise<void> {
  const batch = options.batch ?? 50_000;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const hash = await bcrypt.hash(SEEDED_PASSWORD, 12);
    const prefix = `seed-${Date.now().toString(36)}`;
    for (let start = 0; start < options.users; start += batch) {
      const end = Math.min(options.users, start + batch);
      await client.query(
        `insert into users (email, password_hash)
         select $1 || '-' || i || '@example.test', $2 from generate_series($3::int, $4::int - 1) i`,
        [prefix, hash, start, end],
      );
      progress('users', end, options.users);
    }
    await client.query(
      `create temporary table seed_users as
       select id, row_number() over (order by id) - 1 as n from users where email like $1 || '-%'`,
      [prefix],
    );
    for (let start = 0; start < options.tasks; start += batch) {
      const end = Math.min(options.tasks, start + batch);
      await client.query(
        `insert into tasks (title, description, completed, user_id, created_at, updated_at)
         select 'seeded task ' || i, case when i % 4 = 0 then null else 'seeded description ' || i end, i % 3 = 0, u.id,
                timestamp '2026-01-01' + i * interval '1 second', timestamp '2026-01-01' + i * interval '1 second'
           from generate_series($1::int, $2::int - 1) i
           join seed_users u on u.n = i % $3::int`,
        [start, end, options.users],
      );
      progress('tasks', end, options.tasks);
    }
    await client.query('analyze users');
    await client.query('analyze tasks');
  } finally {
    await client.end();
  }
}
