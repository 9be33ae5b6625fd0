// `npm run example`: the API exactly as `npm run dev` starts it (scripts/lib/run-dev.ts), with the
// example app's origin added to CORS_ORIGINS, and the example browser app (examples/browser-app) on its
// own port. Ctrl-C stops both. EXAMPLE_PORT (default 5173) moves the app; PORT moves the API.
import './lib/require-node.ts'; // first: a clear message on an old Node
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../examples/browser-app/build.ts';
import { serveApp } from '../examples/browser-app/serve.ts';
import { readDotEnv } from './lib/dev-vars.ts';
import { ROOT } from './lib/migrations.ts';
import { DEFAULT_PORT, runDev } from './lib/run-dev.ts';

const appPort = Number(process.env.EXAMPLE_PORT || 5173);
const apiUrl = `http://127.0.0.1:${process.env.PORT || DEFAULT_PORT}`;
const appOrigin = `http://127.0.0.1:${appPort}`;

// The origins `npm run dev` would allow (environment, else .dev.vars, else the example file), plus ours.
const configured =
  process.env.CORS_ORIGINS ??
  (existsSync(join(ROOT, '.dev.vars')) ? readDotEnv(join(ROOT, '.dev.vars')).CORS_ORIGINS : undefined) ??
  readDotEnv(join(ROOT, '.dev.vars.example')).CORS_ORIGINS ??
  '';
const origins = configured.split(',').filter(Boolean);
if (!origins.includes(appOrigin)) origins.push(appOrigin);

// Built once at start (about 20 ms); restart to pick up edits to examples/browser-app.
const files = await buildApp({ apiUrl });
let app: Awaited<ReturnType<typeof serveApp>>;
try {
  app = await serveApp({ port: appPort, apiUrl, files: () => files });
} catch (error) {
  console.error(
    `example: cannot serve the app on ${appOrigin} (${error instanceof Error ? error.message : error}); ` +
      'choose another port with EXAMPLE_PORT=5174 npm run example',
  );
  process.exit(1);
}

// Print both addresses once the API answers (the database may take a few seconds to start).
const announce = async () => {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const response = await fetch(`${apiUrl}/api/health`);
      if (response.status === 200) {
        console.log(`\nexample: API at ${apiUrl}\nexample: app at ${app.url}  (Ctrl-C stops both)\n`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};
void announce();

// Links in emails (reset, verification) open this app's pages, wherever EXAMPLE_PORT put it.
const code = await runDev({
  env: { ...process.env, CORS_ORIGINS: origins.join(','), APP_URL: process.env.APP_URL ?? appOrigin },
});
await app.close();
process.exit(code);
