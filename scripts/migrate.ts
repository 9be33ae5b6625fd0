// `npm run db:migrate`: apply drizzle/ to DATABASE_URL with drizzle-kit, adopting a pre-accounts
// database first (see baselinePreAccountsDatabase).
import { migrate } from './lib/migrations.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db:migrate: set DATABASE_URL (on Neon, the direct host, not the -pooler one)');
  process.exit(2);
}
try {
  const { baselined } = await migrate(url);
  if (baselined) console.log('db:migrate: adopted an existing pre-accounts database (recorded 0000 as applied)');
} catch (error) {
  // drizzle-kit has printed the failing statement and PostgreSQL's reason above (patches/drizzle-kit…);
  // a stack trace of this script would only bury them.
  console.error(`db:migrate: FAILED: ${error instanceof Error ? error.message.trim() : error}`);
  console.error('db:migrate: the pending migrations run in one transaction, so none of them was applied');
  process.exit(1);
}
