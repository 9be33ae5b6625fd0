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
    // One statement: the user lookup, the update and both counts, so the answer matches what happened.
    const { rows } = await client.query(
      `with owner as (select id from users where lower(email) = $1),
            assigned as (
              update tasks set user_id = (select id from owner)
               where user_id is null and exists (select 1 from owner)
               returning 1)
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
