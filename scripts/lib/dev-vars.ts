// Reading and writing dotenv-style files (.dev.vars and friends) for the dev script.
import { existsSync, readFileSync } from 'node:fs';

export function parseDotEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (!match) continue;
    vars[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

export function readDotEnv(path: string): Record<string, string> {
  return existsSync(path) ? parseDotEnv(readFileSync(path, 'utf8')) : {};
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

/**
 * The variables `npm run dev` gives the Worker: .dev.vars, overridden by the environment for every
 * key documented in .dev.vars.example (an empty environment value does not override).
 */
export function mergeDevVars(
  documented: Record<string, string>,
  fromFile: Record<string, string>,
  environment: Record<string, string | undefined>,
): Record<string, string> {
  const fromEnvironment = Object.fromEntries(
    Object.keys(documented)
      .filter((key) => environment[key])
      .map((key) => [key, environment[key] as string]),
  );
  return { ...fromFile, ...fromEnvironment };
}
