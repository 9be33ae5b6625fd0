// `npm run dev` configuration: every setting the Worker reads (src/config.ts's CONFIG_KEYS) is listed in
// .dev.vars.example, can be set in .dev.vars, and can be given in the environment, which wins
// (DATABASE_URL=… SESSION_IDLE_TTL_SECONDS=… npm run dev). A key of .dev.vars that is no setting is warned about.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDotEnv, mergeDevVars } from '../../scripts/lib/dev-vars.ts';
import { ROOT } from '../../scripts/lib/migrations.ts';
import { runDev } from '../../scripts/lib/run-dev.ts';
import { CONFIG_KEYS } from '../../src/config.ts';

const example = readFileSync(join(ROOT, '.dev.vars.example'), 'utf8');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * runDev in a state directory of its own, with a .dev.vars when given. LOCAL_PG_PORT=abc is always a
 * problem, so it stops at its configuration check, before any server starts.
 */
async function devOutput(env: Record<string, string>, devVars?: string): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-devvars-'));
  dirs.push(dir);
  if (devVars !== undefined) writeFileSync(join(dir, '.dev.vars'), devVars);
  chmodSync(dir, 0o755);
  let output = '';
  const print = { log: (line: string) => (output += `${line}\n`), error: (line: string) => (output += `${line}\n`) };
  const code = await runDev({ stateDir: dir, env: { ...env, LOCAL_PG_PORT: 'abc' }, print });
  return { code, output };
}

describe('dev variables', () => {
  it('the config reads the settings it is known to read (a control for CONFIG_KEYS)', () => {
    expect(CONFIG_KEYS).toContain('DATABASE_URL');
    expect(CONFIG_KEYS).toContain('SESSION_IDLE_TTL_SECONDS');
    expect(CONFIG_KEYS).toContain('BETTER_AUTH_SECRET_PREVIOUS');
    expect(CONFIG_KEYS).not.toContain('EMAIL'); // a binding, not a setting
  });

  it('.dev.vars.example lists every setting (set, or commented out with its default) and nothing else', () => {
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    expect([...listed].sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('the environment wins over .dev.vars for every setting; other or empty environment variables do not', () => {
    for (const key of CONFIG_KEYS) {
      const merged = mergeDevVars({ [key]: 'from-file', KEPT: 'file' }, { [key]: 'from-env', HOME: '/root' });
      expect(merged, key).toEqual({ [key]: 'from-env', KEPT: 'file' });
    }
    expect(mergeDevVars({ BCRYPT_COST: '13' }, { BCRYPT_COST: '' })).toEqual({ BCRYPT_COST: '13' });
  });

  it('npm run dev hands every setting given in the environment to the Worker (each named as set there)', async () => {
    // 'not valid' breaks every setting's rule, so the Worker's own check names each one it receives.
    const env = Object.fromEntries(CONFIG_KEYS.map((key) => [key, 'not valid']));
    const { code, output } = await devOutput(env);
    expect(code).toBe(1);
    for (const key of CONFIG_KEYS) {
      expect(output, key).toMatch(new RegExp(`^ {2}${key}\\b[^\\n]* \\(set in the environment\\)$`, 'm'));
    }
  });

  it('a key of .dev.vars that is no setting (a typo) is warned about by name; known ones are not', async () => {
    const { output } = await devOutput(
      {},
      "BCRYPT_COSTT='13'\nCORS_ORIGIN='http://localhost:5173'\nBCRYPT_COST='12'\n",
    );
    expect(output).toMatch(/warning: \.dev\.vars sets BCRYPT_COSTT, which is not a setting/);
    expect(output).toMatch(/warning: \.dev\.vars sets CORS_ORIGIN, which is not a setting/);
    expect(output).not.toMatch(/sets BCRYPT_COST,/);
    expect(output).not.toMatch(/sets BETTER_AUTH_SECRET,/); // the one dev generated into the file
  });

  it('what dev writes for wrangler reads back unchanged (quotes, = and # in values)', () => {
    const vars = {
      A: 'plain',
      B: 'with=equals#hash',
      C: 'postgres://u:p@h:5432/db?sslmode=require',
      D: '[{"issuer":"https://auth.example","audience":"a\\b"}]', // JSON (TRUSTED_ISSUERS) stays literal
    };
    expect(parseEnv(formatDotEnv(vars))).toEqual(vars);
    expect(() => formatDotEnv({ E: "it's" })).toThrow(/E: a value with a single quote/);
  });
});
