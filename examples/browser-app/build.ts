// Builds the browser app with esbuild: each page's script (src/main.ts, src/reset-password.ts,
// src/verify-email.ts, with what they import: @task-api/client from client/src, see tsconfig.json's
// paths) into one ES module each, kept in memory; the HTML pages and app.css as they are. Used by
// `npm run example` and the browser tests.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const HERE = import.meta.dirname;
const PAGES = ['main', 'reset-password', 'verify-email'];

export interface AppBuildOptions {
  /** Origin of the Task API, compiled in (the app has no other configuration). */
  apiUrl: string;
  /** Expose window.testHooks (the browser test's build only). */
  testHooks?: boolean;
}

export interface AppFile {
  type: string;
  body: Buffer;
}

/** The app's files by URL path. */
export async function buildApp(options: AppBuildOptions): Promise<Map<string, AppFile>> {
  const result = await build({
    entryPoints: PAGES.map((page) => join(HERE, 'src', `${page}.ts`)),
    outdir: join(HERE, 'out'), // only names the output files: nothing is written
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    // Constant folding and dead-code removal (drops the test hooks), but readable output.
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: {
      __API_URL__: JSON.stringify(new URL(options.apiUrl).origin),
      __TEST_HOOKS__: String(options.testHooks ?? false),
    },
  });
  const file = (name: string, type: string): AppFile => ({ type, body: readFileSync(join(HERE, name)) });
  const html = 'text/html; charset=utf-8';
  return new Map([
    ['/', file('index.html', html)],
    ['/reset-password', file('reset-password.html', html)],
    ['/verify-email', file('verify-email.html', html)],
    ['/app.css', file('app.css', 'text/css; charset=utf-8')],
    ...result.outputFiles.map((output): [string, AppFile] => [
      `/${basename(output.path)}`,
      { type: 'text/javascript; charset=utf-8', body: Buffer.from(output.contents) },
    ]),
  ]);
}
