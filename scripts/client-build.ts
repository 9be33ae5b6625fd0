// `npm run client:build`: client/dist/index.js, the package's JavaScript (esbuild); the npm script then
// runs `tsc -p client/tsconfig.json --emitDeclarationOnly` for its .d.ts files. dist/ is emptied first
// so a file whose source was deleted is not published.
import './lib/require-node.ts'; // first: a clear message on an old Node
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientModule, CLIENT_DIR } from './lib/client-bundle.ts';

const dist = join(CLIENT_DIR, 'dist');
rmSync(dist, { recursive: true, force: true });
await buildClientModule(join(dist, 'index.js'));
console.log('client: wrote client/dist/index.js');
