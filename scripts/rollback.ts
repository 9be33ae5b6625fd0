// `npm run db:rollback`: undo the most recently applied migration on DATABASE_URL with its tested
// script in drizzle/rollback/. Task rows are always kept.
import { rollbackLatest } from './lib/migrations.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db:rollback: set DATABASE_URL');
  process.exit(2);
}
const tag = await rollbackLatest(url);
console.log(`db:rollback: rolled back ${tag}`);
