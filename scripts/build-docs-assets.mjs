// Copies the API reference's browser bundle (@scalar/api-reference, at the version package-lock.json
// pins) into the Worker's static assets, so /api/docs needs nothing from the internet. wrangler runs
// this before `wrangler dev` and `wrangler deploy` ([build] in wrangler.toml).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The package's `exports` hide package.json and dist/browser, so it is read from node_modules directly.
const packageDir = join(root, 'node_modules', '@scalar', 'api-reference');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

const target = join(root, '.assets', 'api', 'docs');
mkdirSync(target, { recursive: true });
copyFileSync(join(packageDir, 'dist', 'browser', 'standalone.js'), join(target, 'scalar.js'));
// Static assets bypass the Worker's middleware: their headers are set here.
writeFileSync(
  join(root, '.assets', '_headers'),
  `/api/docs/*\n  X-Content-Type-Options: nosniff\n  Cache-Control: public, max-age=300\n  Referrer-Policy: no-referrer\n`,
);
// .gitkeep keeps the (otherwise generated) directory in git; it is not an asset.
writeFileSync(join(root, '.assets', '.assetsignore'), '.gitkeep\n');
console.log(`docs assets: @scalar/api-reference ${version} -> .assets/api/docs/scalar.js`);
