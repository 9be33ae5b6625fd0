// `npm run tasks:assign-legacy [-- --email <address>]`
// Tasks created before accounts existed have no owner and are invisible to everyone. Without --email
// this reports how many there are and changes nothing; with it, one statement gives them all to that
// user and reports how many it assigned.
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({ options: { email: { type: 'string' } } });
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('tasks:assign-legacy: set DATABASE_URL');
  process.exit(2);
}

const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  if (values.email === undefined) {
    const { rows } = await client.query('select count(*)::int as legacy from tasks where user_id is null');
    console.log(
      `${rows[0].legacy} legacy task(s) without an owner; nothing changed (pass --email <address> to assign them)`,
    );
  } else {
    const email = values.email.trim().toLowerCase();
    // One statement: the user lookup, the update, numbering the tasks in the user's change sequence
    // (after the user's last number, as writes do: the counter's upsert locks and reads it), and both
    // counts, so the answer matches what happened. The user row is locked first, as writes lock it.
    const { rows } = await client.query(
      `with owner as (select id from users where lower(email) = $1 for key share),
            assigned as (
              update tasks set user_id = (select id from owner)
               where user_id is null and exists (select 1 from owner)
               returning id, updated_at),
            ordered as (
              select id, row_number() over (order by updated_at, id) as n, count(*) over () as total from assigned),
            counted as (
              insert into user_change_counters (user_id, last_seq)
              select (select id from owner), max(total) from ordered having count(*) > 0
              on conflict (user_id) do update set last_seq = user_change_counters.last_seq + excluded.last_seq
              returning last_seq),
            numbered as (
              insert into task_changes (user_id, task_id, seq)
              select (select id from owner), o.id, c.last_seq - o.total + o.n from ordered o, counted c)
       select (select count(*)::int from owner) as users, (select count(*)::int from assigned) as assigned`,
      [email],
    );
    if (rows[0].users === 0) {
      console.error(`tasks:assign-legacy: no user with email ${email}; nothing changed`);
      process.exitCode = 1;
    } else {
      console.log(`assigned ${rows[0].assigned} legacy task(s) to ${email}`);
    }
  }
} finally {
  await client.end();
}
