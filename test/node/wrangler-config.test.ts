// wrangler.toml as wrangler itself reads it (unstable_readConfig: inheritance from the top level
// included). Its top level is local development: a `wrangler deploy` or `wrangler secret put` without
// `--env` must never reach the production Worker.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Unstable_Config } from 'wrangler';

const CONFIG = resolve(import.meta.dirname, '../../wrangler.toml');

/** The top level (`wrangler dev`, the tests) or a deployed environment, as wrangler resolves it. */
async function readConfig(env?: 'staging' | 'production'): Promise<Unstable_Config> {
  const { unstable_readConfig } = await import('wrangler');
  return unstable_readConfig({ config: CONFIG, env });
}

const deployed = ['staging', 'production'] as const;

describe('wrangler.toml', () => {
  it('the top-level Worker is not the production Worker, nor staging', async () => {
    const top = (await readConfig()).name;
    const production = (await readConfig('production')).name;
    const staging = (await readConfig('staging')).name;
    expect(top).toBeTruthy();
    expect(production).toBeTruthy();
    expect(top).not.toBe(production);
    expect(top).not.toBe(staging);
  });

  it('the top level says development, each deployed environment its own name', async () => {
    expect((await readConfig()).vars.APP_ENV).toBe('development');
    for (const env of deployed) expect((await readConfig(env)).vars.APP_ENV, env).toBe(env);
  });

  it('Smart Placement applies to the deployed environments (inherited from the top level)', async () => {
    for (const env of deployed) expect((await readConfig(env)).placement, env).toEqual({ mode: 'smart' });
  });

  it('every environment binds LIVE to its own SQLite-backed LiveTasks Durable Objects (bindings are not inherited)', async () => {
    for (const env of [undefined, ...deployed]) {
      const config = await readConfig(env);
      expect(config.durable_objects.bindings, env).toEqual([{ name: 'LIVE', class_name: 'LiveTasks' }]);
      expect(config.migrations, env).toEqual([{ tag: 'v1', new_sqlite_classes: ['LiveTasks'] }]);
    }
  });

  it('the deployed environments have no workers.dev address and no preview URLs', async () => {
    for (const env of deployed) {
      const config = await readConfig(env);
      expect(config.workers_dev, env).toBe(false);
      expect(config.preview_urls, env).toBe(false);
    }
  });
});

// README, Security → Rate limits: auth attempts, signin per account and password checks per signed-in
// user 10 per 60 s; refresh and GET /api/health 60 per 60 s; task writes per user 600 per 60 s.
const DOCUMENTED_LIMITS: Record<string, { limit: number; period: number }> = {
  AUTH_RATE_LIMITER: { limit: 10, period: 60 },
  SIGNIN_ACCOUNT_RATE_LIMITER: { limit: 10, period: 60 },
  PASSWORD_ACCOUNT_RATE_LIMITER: { limit: 10, period: 60 },
  TASK_WRITE_RATE_LIMITER: { limit: 600, period: 60 },
  REFRESH_RATE_LIMITER: { limit: 60, period: 60 },
  HEALTH_RATE_LIMITER: { limit: 60, period: 60 },
};

/** Every `…_RATE_LIMITER` binding the Worker's sources name. */
function limitersUsedBySrc(): string[] {
  const names = new Set<string>();
  const src = resolve(import.meta.dirname, '../../src');
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    for (const [name] of readFileSync(resolve(src, file), 'utf8').matchAll(/\b[A-Z_]+_RATE_LIMITER\b/g)) {
      names.add(name);
    }
  }
  return [...names].sort();
}

describe('wrangler.toml, deployed environments', () => {
  it("leave signin's cost-12 bcrypt CPU headroom: limits.cpu_ms >= 2000 (Workers Paid)", async () => {
    for (const env of deployed) {
      const config = await readConfig(env);
      expect(config.limits?.cpu_ms, env).toBeGreaterThanOrEqual(2000);
    }
  });

  it('declare every rate limiter the Worker uses, with the documented limit and period', async () => {
    // The table above covers exactly the limiters src/ uses: a new one must be documented here too.
    expect(limitersUsedBySrc()).toEqual(Object.keys(DOCUMENTED_LIMITS).sort());
    for (const env of deployed) {
      const config = await readConfig(env);
      const declared = Object.fromEntries(config.ratelimits.map((binding) => [binding.name, binding.simple]));
      for (const [name, expected] of Object.entries(DOCUMENTED_LIMITS)) {
        expect(declared[name], `${env} ${name}`).toEqual(expected);
      }
    }
  });

  it('declare no relaxed (development) limiter; the top level has one, generous, per relaxed auth limiter', async () => {
    for (const env of deployed) {
      const names = (await readConfig(env)).ratelimits.map((binding) => binding.name);
      expect(
        names.filter((name) => name.endsWith('_RELAXED')),
        env,
      ).toEqual([]);
    }
    const local = Object.fromEntries((await readConfig()).ratelimits.map((binding) => [binding.name, binding.simple]));
    for (const name of ['AUTH_RATE_LIMITER', 'SIGNIN_ACCOUNT_RATE_LIMITER', 'PASSWORD_ACCOUNT_RATE_LIMITER']) {
      expect(local[`${name}_RELAXED`]?.limit, name).toBeGreaterThanOrEqual(100 * DOCUMENTED_LIMITS[name].limit);
      expect(local[name], name).toEqual(DOCUMENTED_LIMITS[name]); // strict mode and the tests count with these
    }
  });

  it('give each limiter its own counters: namespace ids unique per Worker, none shared by dev, staging and production', async () => {
    // The top level is the dev Worker (task-api-dev): deployed by a `wrangler deploy` without --env, it
    // must not spend production's budgets.
    const workers = [await readConfig(), await readConfig('staging'), await readConfig('production')];
    const idsOf = workers.map((config) => config.ratelimits.map((binding) => binding.namespace_id));
    for (const ids of idsOf) expect(new Set(ids).size).toBe(ids.length);
    const all = idsOf.flat();
    expect(new Set(all).size, 'an id shared between Workers').toBe(all.length);
  });
});
