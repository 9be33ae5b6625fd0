// A loopback TCP port that is free now, for a server the caller (or a process it starts) binds a moment
// later. Chosen below the kernel's ephemeral range: a port from that range (what `listen(0)` hands out)
// can be taken in the meantime by any outgoing connection or port-0 server of the tests running
// alongside, and a wrangler dev that starts for seconds in between lost its port that way in CI.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const FIRST_PORT = 10_000;

/** The lowest ephemeral port (Linux's setting; 32768 where it cannot be read). */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const port = Number(low);
    return Number.isInteger(port) && port > FIRST_PORT + 1000 ? port : 32_768;
  } catch {
    return 32_768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  const end = ephemeralStart();
  for (let tries = 0; tries < 50; tries++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (end - FIRST_PORT));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port found between ${FIRST_PORT} and ${end} in 50 tries`);
}
