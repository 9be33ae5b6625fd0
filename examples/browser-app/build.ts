// Builds the browser app with esbuild: src/main.ts (and what it imports) into one ES module, kept in
// memory; index.html and app.css as they are. Used by `npm run example` and the browser test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const HERE = import.meta.dirname;

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
    entryPoints: [join(HERE, 'src', 'main.ts')],
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
  return new Map([
    ['/', file('index.html', 'text/html; charset=utf-8')],
    ['/app.css', file('app.css', 'text/css; charset=utf-8')],
    ['/main.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(result.outputFiles[0].contents) }],
  ]);
}
