// Two projects share one global setup (a real Postgres, a fresh migrated database, the local
// SQL-over-HTTP endpoint, the mail outbox):
// - worker: integration tests inside workerd, sending requests to the Worker, which reaches Postgres
//   through Neon's driver over HTTP and the local SQL-over-HTTP endpoint;
// - node: migration and tooling tests that run the real drizzle-kit and scripts.
import './scripts/lib/require-node.ts';
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// A fixed test secret (48 bytes); the deployed one comes from `wrangler secret put`.
export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export default defineConfig({
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    // The Worker logs one JSON line per auth event; show logs only for failing tests.
    silent: 'passed-only',
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Browser tests poll the page for what it shows; on a loaded 2-core CI machine a page can take
          // more than expect.poll's default 1 s to sign in or render a list.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                APP_ENV: 'test',
                BETTER_AUTH_SECRET: TEST_SECRET,
                DATABASE_URL: inject('databaseUrl'),
                LOCAL_DB_HTTP: new URL(inject('sqlEndpoint')).host,
                TEST_SERVER_URL: inject('serverUrl'),
                // Email goes to the loopback outbox of the global setup; tests read it back from there.
                EMAIL_TRANSPORT: 'outbox',
                LOCAL_OUTBOX: inject('outbox'),
                APP_URL: 'http://app.test',
                EMAIL_FROM: 'no-reply@task-api.test',
                CORS_ORIGINS: 'http://app.test,http://127.0.0.1:5173',
                ACCESS_TOKEN_TTL_SECONDS: '900',
                // Tests lower bcrypt's cost through the same configuration the deployment uses;
                // one test proves the deployed default is 12.
                BCRYPT_COST: '4',
                // Size of test/worker/load-model.test.ts; raise for a longer run.
                LOAD_USERS: process.env.LOAD_USERS ?? '8',
                LOAD_SECONDS: process.env.LOAD_SECONDS ?? '4',
                // Length of the concurrent-writers run in test/worker/tasks/changes.test.ts (shorten for
                // a quick run; the suite runs 20 s).
                CHANGES_RACE_SECONDS: process.env.CHANGES_RACE_SECONDS ?? '20',
              },
            },
          })),
        ],
        // The Worker's bundle aliases 'hono' to Hono with TrieRouter alone (wrangler.toml [alias]), which
        // the pool does not read: the same alias here, so that the tests route as the deployed Worker does.
        resolve: {
          alias: [
            {
              find: /^hono$/,
              replacement: fileURLToPath(new URL('./src/http/hono-trie-router.ts', import.meta.url)),
            },
          ],
        },
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
