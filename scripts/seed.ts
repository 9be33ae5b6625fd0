// `npm run db:seed [-- --users 10000 --tasks 1000000]`: bulk users and tasks on DATABASE_URL.
import { parseArgs } from 'node:util';
import { SEEDED_PASSWORD, seed } from './lib/seed.ts';

const { values } = parseArgs({ options: { users: { type: 'string' }, tasks: { type: 'string' } } });
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db:seed: set DATABASE_URL');
  process.exit(2);
}
const users = Number(values.users ?? 10_000);
const tasks = Number(values.tasks ?? 1_000_000);
const started = Date.now();
await seed(url, { users, tasks });
console.log(
  `db:seed: ${users} users (password "${SEEDED_PASSWORD}") and ${tasks} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
