// The two esbuild builds of the client package (client/): the published module (its own code in one
// ES module, with openapi-fetch left to the app's bundler as the dependency it is), and what an app
// ships (the package and openapi-fetch, bundled and minified: the size budget, and the browser tests).
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './migrations.ts';

export const CLIENT_DIR = join(ROOT, 'client');
const ENTRY = join(CLIENT_DIR, 'src', 'index.ts');

/** client/src as one readable ES module, written to `outfile` (the app's bundler minifies it). */
export async function buildClientModule(outfile: string): Promise<void> {
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    external: ['openapi-fetch'],
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    logLevel: 'silent',
  });
}

/** The package with openapi-fetch, bundled and minified for browsers: the bytes an app pays for it. */
export async function buildClientForBrowsers(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
  });
  return result.outputFiles[0].text;
}
