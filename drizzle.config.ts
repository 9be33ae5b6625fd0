// drizzle-kit reads this for `generate` (schema → SQL in drizzle/) and `migrate` (SQL → DATABASE_URL).
// Migrations should run against a direct (unpooled) connection; on Neon that is the host without `-pooler`.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // change-schema.ts: tables the Worker names only in SQL text (kept out of its bundle).
  schema: ['./src/db/schema.ts', './src/db/change-schema.ts'],
  out: './drizzle',
  dbCredentials: { url: process.env.DATABASE_URL ?? '' },
  migrations: { table: '__drizzle_migrations', schema: 'drizzle' },
  strict: true,
  verbose: true,
});
