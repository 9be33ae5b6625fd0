// Request ids. The server mints its own id for every request (`requestId`): that is the id every log
// line carries, so a client cannot choose, reuse or collide the id its requests are logged under.
// A sane client X-Request-Id (1–128 of [A-Za-z0-9._:-]) is kept as `clientRequestId`, logged beside the
// server's, and echoed in the response (header and problem body) as the contract asks; without one,
// the response shows the server's id.
// Not hono/request-id: its accepted alphabet ([\w=-]) is not the contract's (which allows `.` and `:`).
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id the response shows: the client's sane one, else the server's. */
export function responseRequestId(c: Context<AppEnv>): string {
  return c.get('clientRequestId') ?? c.get('requestId');
}

/** Before the request is handled: the server's id, and the client's if it is sane. */
export function assignRequestId(c: Context<AppEnv>): void {
  const incoming = c.req.header('X-Request-Id');
  c.set('requestId', crypto.randomUUID());
  if (incoming && SANE_REQUEST_ID.test(incoming)) c.set('clientRequestId', incoming);
}

/** On the response, whatever it is: the id it shows. */
export function showRequestId(c: Context<AppEnv>): void {
  c.res.headers.set('X-Request-Id', responseRequestId(c));
}
