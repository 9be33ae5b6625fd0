// `npm run dev`: one command, no Docker, no account, offline. See scripts/lib/run-dev.ts.
// Ctrl-C stops everything it started.
import './lib/require-node.ts'; // first: a clear message on an old Node
import { runDev } from './lib/run-dev.ts';

process.exit(await runDev());
