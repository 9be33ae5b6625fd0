// The local SQL-over-HTTP endpoint (sql-over-http.ts) as a process of its own, for a caller that must
// not share its event loop with it (`npm run bench`: autocannon runs in the bench's process). Started
// by sql-over-http-process.ts; by hand: `npx tsx tools/local-platform/sql-over-http-main.ts [--port N]`.
// Prints one line, `sql-over-http listening on 127.0.0.1:<port>`, once it accepts requests. Stops on
// SIGINT/SIGTERM, or when its standard input ends (the process that started it has gone).
import '../../scripts/lib/require-node.ts'; // first: a clear message on an old Node
import { parseArgs } from 'node:util';
import { startSqlOverHttp } from './sql-over-http.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const server = await startSqlOverHttp({ port: Number(values.port) });
console.log(`sql-over-http listening on 127.0.0.1:${server.port}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
