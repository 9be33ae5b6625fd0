// `npm run db:migrate`: apply drizzle/ to DATABASE_URL with drizzle-kit, adopting a pre-accounts
// database first (see baselinePreAccountsDatabase).
import { migrate } from './lib/migrations.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db:migrate: set DATABASE_URL (on Neon, the direct host, not the -pooler one)');
  process.exit(2);
}
const { baselined } = await migrate(url);
if (baselined) console.log('db:migrate: adopted an existing pre-accounts database (recorded 0000 as applied)');
