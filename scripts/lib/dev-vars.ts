// The variables `npm run dev` gives the Worker: .dev.vars and the environment, and reading and writing
// dotenv files (.dev.vars, and the merged file wrangler reads).
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { CONFIG_KEYS } from '../../src/config.ts';

export function readDotEnv(path: string): Record<string, string> {
  return existsSync(path) ? (parseEnv(readFileSync(path, 'utf8')) as Record<string, string>) : {};
}

/**
 * Single-quoted values: dotenv (and wrangler) take them literally, so JSON such as TRUSTED_ISSUERS keeps
 * its double quotes and backslashes. A value with a single quote or a line break cannot be written so.
 */
export function formatDotEnv(vars: Record<string, string>): string {
  return `${Object.entries(vars)
    .map(([key, value]) => {
      if (/['\r\n]/.test(value))
        throw new Error(`${key}: a value with a single quote or a line break cannot be written`);
      return `${key}='${value}'`;
    })
    .join('\n')}\n`;
}

/** The environment sets this setting (an empty value does not count). */
export function fromEnvironment(key: string, environment: Record<string, string | undefined>): boolean {
  return CONFIG_KEYS.includes(key) && Boolean(environment[key]);
}

/**
 * .dev.vars, overridden by the environment for every setting the Worker reads (src/config.ts's
 * CONFIG_KEYS). Other environment variables (HOME, PATH, …) are not the Worker's business.
 */
export function mergeDevVars(
  fromFile: Record<string, string>,
  environment: Record<string, string | undefined>,
): Record<string, string> {
  const overrides = CONFIG_KEYS.filter((key) => fromEnvironment(key, environment)).map((key) => [
    key,
    environment[key] as string,
  ]);
  return { ...fromFile, ...Object.fromEntries(overrides) };
}

/** One warning per key of .dev.vars that is no setting of the Worker (a typo would otherwise do nothing). */
export function unknownKeyWarnings(fromFile: Record<string, string>): string[] {
  return Object.keys(fromFile)
    .filter((key) => !CONFIG_KEYS.includes(key))
    .map(
      (key) =>
        `dev: warning: .dev.vars sets ${key}, which is not a setting of this API (misspelt?); nothing reads it. ` +
        'The settings are listed in .dev.vars.example.',
    );
}
