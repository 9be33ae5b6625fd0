// wrangler.toml's top level is local development: a `wrangler deploy` or `wrangler secret put`
// without `--env` must never reach the production Worker.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

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
