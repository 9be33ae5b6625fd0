// Database outage under load (SECURITY G38): with the database stopped mid-load, requests fail fast
// with 503 DATABASE_UNAVAILABLE and Retry-After (never a hang or a 500), nothing half-written stays,
// and once the database is back the same Worker serves again without a restart. Uses a database
// server of its own, since it stops it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../scripts/lib/migrations.ts';
import { startWranglerDev, type WranglerDev } from '../../scripts/lib/wrangler-dev.ts';
import { type LocalPostgres, startLocalPostgres } from '../../tools/local-platform/local-postgres.ts';
import { type SqlOverHttp, startSqlOverHttp } from '../../tools/local-platform/sql-over-http.ts';
import { withClient } from '../support/pre-accounts.ts';

const REQUEST_TIMEOUT_MS = 15_000;
const VIRTUAL_USERS = 4;
// At most 40 writes a second per user: the load runs about 9 s, well inside 600 writes per minute.
const PAUSE_BETWEEN_WRITES_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  title: string;
  status: number | 'timeout' | 'network';
  ms: number;
  retryAfter: string | null;
  code?: string;
}

describe('database outage', () => {
  let dataDir: string;
  let postgres: LocalPostgres;
  let endpoint: SqlOverHttp;
  let worker: WranglerDev;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'task-api-outage-'));
    // persistent: stop() must keep the data, so that start() brings the same database back.
    postgres = await startLocalPostgres({ dataDir, persistent: true });
    await migrate(postgres.url, 'pipe');
    endpoint = await startSqlOverHttp();
    worker = await startWranglerDev({
      APP_ENV: 'test',
      BETTER_AUTH_SECRET: 'outage-test-secret-0123456789-abcdefghijkl',
      DATABASE_URL: postgres.url,
      LOCAL_DB_HTTP: `127.0.0.1:${endpoint.port}`,
      BCRYPT_COST: '4',
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await endpoint?.close();
    await postgres?.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function post(path: string, body: unknown, token?: string): Promise<Response> {
    return fetch(`${worker.url}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'CF-Connecting-IP': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  }

  it('fails fast with 503 + Retry-After while down, writes nothing partial, and recovers without a restart', async () => {
    // One account per virtual user, each pacing its writes: the per-user task-write limit (600 per
    // 60 s) must not answer 429 here, where only the database's outage should fail a request.
    const accessTokens: string[] = [];
    for (let user = 0; user < VIRTUAL_USERS; user++) {
      const signup = await post('/api/auth/signup', {
        email: `outage${user}@example.test`,
        password: 'outage password',
      });
      expect(signup.status).toBe(201);
      accessTokens.push(((await signup.json()) as { accessToken: string }).accessToken);
    }

    const outcomes: Outcome[] = [];
    let running = true;
    let counter = 0;
    const virtualUser = async (accessToken: string) => {
      while (running) {
        await sleep(PAUSE_BETWEEN_WRITES_MS);
        const title = `load ${counter++}`;
        const started = performance.now();
        try {
          const response = await post('/api/tasks', { title }, accessToken);
          const body = (await response.json()) as { code?: string };
          outcomes.push({
            title,
            status: response.status,
            ms: performance.now() - started,
            retryAfter: response.headers.get('Retry-After'),
            code: body.code,
          });
        } catch (error) {
          const status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
          outcomes.push({ title, status, ms: performance.now() - started, retryAfter: null });
        }
      }
    };
    const users = accessTokens.map(virtualUser);

    await sleep(1500);
    await postgres.stop();
    await sleep(4000);
    // While down, signin issues no token.
    const signin = await post('/api/auth/signin', { email: 'outage0@example.test', password: 'outage password' });
    expect(signin.status).toBe(503);
    expect(await signin.text()).not.toContain('accessToken');
    await postgres.start();
    await sleep(3000);
    running = false;
    await Promise.all(users);

    const byStatus = outcomes.reduce<Record<string, number>>((counts, outcome) => {
      counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
      return counts;
    }, {});
    const failed = outcomes.filter((outcome) => outcome.status !== 201);
    const slowest503 = Math.max(0, ...failed.map((outcome) => outcome.ms));
    process.stdout.write(`outage: ${JSON.stringify(byStatus)}; slowest failed request ${slowest503.toFixed(0)} ms\n`);

    expect(byStatus[201]).toBeGreaterThan(0);
    expect(byStatus[503]).toBeGreaterThan(0);
    for (const outcome of failed) {
      expect(outcome.status).toBe(503);
      expect(outcome.code).toBe('DATABASE_UNAVAILABLE');
      expect(Number(outcome.retryAfter)).toBeGreaterThan(0);
      expect(outcome.ms).toBeLessThan(10_000);
    }
    // Recovered: the last requests succeeded on the same Worker.
    expect(outcomes.at(-1)?.status).toBe(201);
    const health = await fetch(`${worker.url}/api/health`);
    expect(health.status).toBe(200);

    // Exactly the acknowledged writes exist: nothing from a 503 stayed behind.
    const stored = await withClient(postgres.url, async (client) => {
      const { rows } = await client.query(`select title from tasks where title like 'load %'`);
      return new Set(rows.map((row) => row.title as string));
    });
    const acknowledged = new Set(outcomes.filter((outcome) => outcome.status === 201).map((outcome) => outcome.title));
    expect([...stored].sort()).toEqual([...acknowledged].sort());
  }, 120_000);
});
