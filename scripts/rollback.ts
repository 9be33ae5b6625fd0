// `npm run db:rollback`: undo the accounts migration (0001) on DATABASE_URL, keeping every task row.
import { rollbackAccounts } from './lib/migrations.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db:rollback: set DATABASE_URL');
  process.exit(2);
}
await rollbackAccounts(url);
console.log('db:rollback: schema is back at 0000; tasks kept, users and task ownership dropped');
