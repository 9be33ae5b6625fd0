// wrangler.toml's top level is local development: a `wrangler deploy` or `wrangler secret put`
// without `--env` must never reach the production Worker.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Unstable_Config } from 'wrangler';

const toml = readFileSync(resolve(import.meta.dirname, '../../wrangler.toml'), 'utf8');

/** The keys of one table: the top level (before the first `[…]`) or a named section such as `env.production`. */
function section(name: string | null): string {
  const start = name === null ? 0 : toml.indexOf(`[${name}]\n`);
  expect(start, `[${name}] exists`).toBeGreaterThanOrEqual(0);
  const rest = toml.slice(name === null ? 0 : start + name.length + 3);
  const end = rest.search(/^\[/m);
  return end === -1 ? rest : rest.slice(0, end);
}

const value = (text: string, key: string) => text.match(new RegExp(`^${key} = "([^"]*)"`, 'm'))?.[1];

describe('wrangler.toml', () => {
  it('the top-level Worker is not the production Worker, nor staging', () => {
    const top = value(section(null), 'name');
    const production = value(section('env.production'), 'name');
    const staging = value(section('env.staging'), 'name');
    expect(top).toBeTruthy();
    expect(production).toBeTruthy();
    expect(top).not.toBe(production);
    expect(top).not.toBe(staging);
  });

  it('the top level says development, production says production', () => {
    expect(value(section('vars'), 'APP_ENV')).toBe('development');
    expect(section('env.production')).toMatch(/APP_ENV = "production"/);
  });

  it('Smart Placement applies to the deployed environments (inherited from the top level)', async () => {
    const { unstable_readConfig } = await import('wrangler');
    for (const env of ['staging', 'production']) {
      const config = unstable_readConfig({ config: resolve(import.meta.dirname, '../../wrangler.toml'), env });
      expect(config.placement, env).toEqual({ mode: 'smart' });
    }
  });
});

// The deployed environments as wrangler resolves them (inheritance included).
const deployed = ['staging', 'production'] as const;
async function deployedConfig(env: (typeof deployed)[number]): Promise<Unstable_Config> {
  const { unstable_readConfig } = await import('wrangler');
  return unstable_readConfig({ config: resolve(import.meta.dirname, '../../wrangler.toml'), env });
}

// README, Security → Rate limits: auth attempts, signin per account and password checks per signed-in
// user 10 per 60 s; refresh and GET /api/health 60 per 60 s.
const DOCUMENTED_LIMITS: Record<string, { limit: number; period: number }> = {
  AUTH_RATE_LIMITER: { limit: 10, period: 60 },
  SIGNIN_ACCOUNT_RATE_LIMITER: { limit: 10, period: 60 },
  PASSWORD_ACCOUNT_RATE_LIMITER: { limit: 10, period: 60 },
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
      const config = await deployedConfig(env);
      expect(config.limits?.cpu_ms, env).toBeGreaterThanOrEqual(2000);
    }
  });

  it('declare every rate limiter the Worker uses, with the documented limit and period', async () => {
    // The table above covers exactly the limiters src/ uses: a new one must be documented here too.
    expect(limitersUsedBySrc()).toEqual(Object.keys(DOCUMENTED_LIMITS).sort());
    for (const env of deployed) {
      const config = await deployedConfig(env);
      const declared = Object.fromEntries(config.ratelimits.map((binding) => [binding.name, binding.simple]));
      for (const [name, expected] of Object.entries(DOCUMENTED_LIMITS)) {
        expect(declared[name], `${env} ${name}`).toEqual(expected);
      }
    }
  });

  it('give each limiter its own counters: namespace ids unique per Worker, none shared by dev, staging and production', async () => {
    // The top level is the dev Worker (task-api-dev): deployed by a `wrangler deploy` without --env, it
    // must not spend production's budgets.
    const { unstable_readConfig } = await import('wrangler');
    const top: Unstable_Config = unstable_readConfig({ config: resolve(import.meta.dirname, '../../wrangler.toml') });
    const workers = [top, await deployedConfig('staging'), await deployedConfig('production')];
    const idsOf = workers.map((config) => config.ratelimits.map((binding) => binding.namespace_id));
    for (const ids of idsOf) expect(new Set(ids).size).toBe(ids.length);
    const all = idsOf.flat();
    expect(new Set(all).size, 'an id shared between Workers').toBe(all.length);
  });
});
