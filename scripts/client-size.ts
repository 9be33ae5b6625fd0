// `npm run client:size`: what the client package costs an app: client/src and openapi-fetch bundled and
// minified by esbuild, then gzipped (level 9). Prints the number; exits 1 over the budget (6 KiB gzip,
// or --max-gzip-bytes). Run by CI.
import './lib/require-node.ts'; // first: a clear message on an old Node
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildClientForBrowsers } from './lib/client-bundle.ts';

const { values } = parseArgs({ options: { 'max-gzip-bytes': { type: 'string', default: String(6 * 1024) } } });
const budget = Number(values['max-gzip-bytes']);
const minified = Buffer.from(await buildClientForBrowsers());
const gzipped = gzipSync(minified, { level: 9 }).length;
console.log(
  `client: ${minified.length} bytes minified, ${gzipped} bytes gzip (${(gzipped / 1024).toFixed(2)} KiB); budget ${budget} bytes gzip`,
);
if (gzipped > budget) {
  console.error(`client: ${gzipped} bytes gzip is over the ${budget}-byte budget`);
  process.exit(1);
}
