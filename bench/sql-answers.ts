// A stand-in for the SQL-over-HTTP endpoint that takes the database out of a CPU comparison: it answers
// each statement with one fixed answer, captured once. Two modes:
// - record: every POST /sql is forwarded to the real local endpoint (tools/local-platform/sql-over-http.ts
//   and PostgreSQL); the first 200 answer to each statement is kept, byte for byte;
// - replay: every POST /sql is answered with the kept answer to its statement, without forwarding.
// A statement is its text (or, for a batch, its texts) and its Neon-Array-Mode (rows as arrays or as
// objects): parameters are not part of it, so every request of a route, whatever its values, gets the
// same answer. A statement with no kept answer is answered 500 and counted (a pass with misses is void).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SqlAnswers {
  /** host:port, for LOCAL_DB_HTTP and the peers' SQL_HTTP. */
  hostPort: string;
  /** Forward to this endpoint (`http://host:port/sql`) and keep the answers. */
  record(upstream: string): void;
  /** Answer from what was kept; nothing is forwarded any more. */
  replay(): void;
  /** The answers kept so far (JSON text), by statement key. */
  kept(): Map<string, string>;
  /** Statements that reached the server in replay mode with no kept answer. */
  misses(): number;
  /** Requests answered, in either mode. */
  answered(): number;
  /** Called with each statement's key as it arrives (to see which Worker sent what while capturing). */
  onStatement?: (key: string) => void;
  close(): Promise<void>;
}

const FORWARDED = [
  'neon-connection-string',
  'neon-raw-text-output',
  'neon-array-mode',
  'neon-batch-isolation-level',
  'neon-batch-read-only',
  'neon-batch-deferrable',
];

/** What identifies a statement's answer: array mode and the statement text(s), never the parameters. */
export function statementKey(arrayMode: string | undefined, body: string): string {
  const payload = JSON.parse(body) as { query?: string; queries?: { query: string }[] };
  const texts = payload.queries ? payload.queries.map((q) => q.query) : [payload.query ?? ''];
  return `${arrayMode === 'true' ? 'array' : 'object'}\n${texts.join('\n;\n')}`;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startSqlAnswers(): Promise<SqlAnswers> {
  const answers = new Map<string, string>();
  const encoded = new Map<string, Buffer>();
  let upstream: string | undefined;
  let misses = 0;
  let answered = 0;
  const control: SqlAnswers = {
    hostPort: '',
    record: (url) => {
      upstream = url;
    },
    replay: () => {
      upstream = undefined;
      encoded.clear();
      for (const [key, body] of answers) encoded.set(key, Buffer.from(body));
    },
    kept: () => answers,
    misses: () => misses,
    answered: () => answered,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    answered += 1;
    let key: string;
    try {
      key = statementKey(request.headers['neon-array-mode'] as string | undefined, body);
    } catch {
      response.writeHead(400, { 'Content-Type': 'application/json' }).end('{"message":"body is not JSON"}');
      return;
    }
    control.onStatement?.(key);
    if (upstream) {
      const headers: Record<string, string> = {};
      for (const name of FORWARDED) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const forwarded = await fetch(upstream, { method: 'POST', headers, body });
      const text = await forwarded.text();
      if (forwarded.status === 200 && !answers.has(key)) answers.set(key, text);
      response
        .writeHead(forwarded.status, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
        })
        .end(text);
      return;
    }
    const answer = encoded.get(key);
    if (!answer) {
      misses += 1;
      const text = '{"message":"no captured answer for this statement"}';
      response.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': text.length }).end(text);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': answer.length }).end(answer);
  });
  server.keepAliveTimeout = 60_000; // the Workers keep their connections, as with Neon's proxy
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  control.hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return control;
}
