// Latency one request at a time, timed to the microsecond. autocannon's latency histogram counts whole
// milliseconds, too coarse for a goal of "≤ 3 ms added" when a route answers in 2: here each request is
// sent on one kept-alive connection, the next only after the previous answer was read whole, and each is
// timed with process.hrtime from writing the request to the end of its body.
import { Agent, request as httpRequest } from 'node:http';

export interface SentRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Latencies {
  requests: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  /** Responses with a status outside 200–299. */
  non2xx: number;
}

function once(agent: Agent, base: URL, sent: SentRequest): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const outgoing = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: sent.method ?? 'GET',
        path: sent.path,
        headers: { ...sent.headers, ...(sent.body ? { 'Content-Length': Buffer.byteLength(sent.body) } : {}) },
      },
      (response) => {
        response.resume();
        response.once('end', () =>
          resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.statusCode ?? 0 }),
        );
        response.once('error', reject);
      },
    );
    outgoing.once('error', reject);
    outgoing.end(sent.body);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** Sends `sent` again and again for `seconds`, one at a time, and reports the latencies. */
export async function oneAtATime(
  baseUrl: string,
  sent: SentRequest | (() => SentRequest),
  seconds: number,
): Promise<Latencies> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const base = new URL(baseUrl);
  const times: number[] = [];
  let non2xx = 0;
  const deadline = performance.now() + seconds * 1000;
  try {
    while (performance.now() < deadline) {
      const { ms, status } = await once(agent, base, typeof sent === 'function' ? sent() : sent);
      times.push(ms);
      if (status < 200 || status > 299) non2xx += 1;
    }
  } finally {
    agent.destroy();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    requests: times.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: times.reduce((sum, ms) => sum + ms, 0) / times.length,
    non2xx,
  };
}
