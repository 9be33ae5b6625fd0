// POST /api/tasks/live/ticket and GET /api/tasks/live: a WebSocket that carries the caller's committed
// task changes as they happen (object.ts). docs/API.md, Live updates.
import { createRoute } from '@hono/zod-openapi';
import { type SQL, sql } from 'drizzle-orm';
import { authenticatedRoute } from '../auth/authenticated.ts';
import { type Caller, externalAccountSetup } from '../auth/caller.ts';
import { sessionEnded, unauthenticated } from '../auth/errors.ts';
import { toUserId } from '../auth/user-id.ts';
import type { AppRouteHandler } from '../env.ts';
import { AppError } from '../http/errors.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../http/json-body.ts';
import { problemResponses, VALIDATION_PROBLEMS } from '../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../http/with-database.ts';
import * as z from '../lib/zod.ts';
import { writerLive } from '../tasks/changes.ts';
import { TAGS } from '../tasks/schemas.ts';
import { liveObjectOf } from './notify.ts';
import { issueTicket, readTicket, TICKET_SECONDS } from './ticket.ts';

const LiveTicket = z
  .object({
    ticket: z.string(),
    url: z.string().openapi({ description: 'Open it as a WebSocket' }),
    expiresIn: z.literal(TICKET_SECONDS),
  })
  .openapi('LiveTicket');

export const ticketRoute = authenticatedRoute({
  method: 'post',
  path: '/api/tasks/live/ticket',
  operationId: 'createLiveTicket',
  tags: TAGS,
  summary: 'A ticket for one live WebSocket, within 30 s',
  description: IGNORED_BODY_RULE,
  middleware: [ignoredBody, withDatabase] as const,
  responses: {
    201: { description: 'The ticket', content: { 'application/json': { schema: LiveTicket } } },
    ...problemResponses(IGNORED_BODY_PROBLEMS, DATABASE_PROBLEMS),
  },
});

export const ticketHandler: AppRouteHandler<typeof ticketRoute> = async (c) => {
  const caller = c.get('caller');
  const config = c.get('config');
  const { rows } = await c
    .get('db')
    .execute<{ live: boolean; ends_ms: string }>(ticketStatement(caller, config.ACCESS_TOKEN_TTL_SECONDS));
  if (rows[0]?.live !== true) throw sessionEnded();
  const ticket = await issueTicket(config.secretKey, {
    userId: caller.userId,
    sessionId: caller.sessionId ?? '',
    sessionEndsAt: Number(rows[0].ends_ms),
  });
  return c.json({ ticket, url: `/api/tasks/live?ticket=${ticket}`, expiresIn: TICKET_SECONDS }, 201);
};

/**
 * One statement: whether the session is live, when it ends (its socket is closed then; an external
 * issuer's user has no session here, so as long as one of our access tokens would live), and, while the
 * session is live, the user's `live_until` moved to that end (plus a minute for clocks that differ), so
 * that writes until then tell the user's Durable Object (tasks/changes.ts). Never moved back, and not
 * written at all when it is already there (the next ticket of the same session: no new row version).
 * The user row is locked first, as a write locks it (writerLive), so an account deletion and this never
 * wait on each other in a cycle.
 */
function ticketStatement(caller: Caller, accessTokenSeconds: number): SQL {
  return sql`with ${externalAccountSetup(caller)}live as (select ${writerLive(caller)} as alive),
ends as (select coalesce((select least(idle_expires_at, expires_at) from sessions where id = ${caller.sessionId ?? null}),
  now() + make_interval(secs => ${accessTokenSeconds})) as at),
watched as (insert into user_change_counters (user_id, last_seq, live_until)
  select ${toUserId(caller.userId)}, 0, ends.at + interval '1 minute' from live, ends where live.alive
  on conflict (user_id) do update set live_until = excluded.live_until
  where user_change_counters.live_until < excluded.live_until)
select live.alive as live, (extract(epoch from ends.at) * 1000)::bigint as ends_ms from live, ends`;
}

export const connectRoute = createRoute({
  method: 'get',
  path: '/api/tasks/live',
  operationId: 'openLiveChanges',
  security: [],
  tags: TAGS,
  summary: 'A WebSocket of your task changes (docs/API.md)',
  request: {
    query: z.object({ ticket: z.string().max(512).optional() }),
  },
  responses: {
    101: { description: 'The WebSocket (closed with 4401 when the session ends)' },
    ...problemResponses(VALIDATION_PROBLEMS, {
      401: ['UNAUTHENTICATED'],
      403: ['ORIGIN_NOT_ALLOWED'],
      426: ['UPGRADE_REQUIRED'],
    }),
  },
});

export const connectHandler: AppRouteHandler<typeof connectRoute> = async (c) => {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
    throw new AppError('UPGRADE_REQUIRED', 'Open it as a WebSocket');
  }
  const config = c.get('config');
  const origin = c.req.header('Origin');
  // A browser always sends Origin with a WebSocket, and CORS does not apply to one: a page of any other
  // origin holding a ticket is refused here.
  if (origin !== undefined && !config.CORS_ORIGINS.includes(origin)) {
    throw new AppError('ORIGIN_NOT_ALLOWED', 'Origin not allowed');
  }
  const ticket = await readTicket(c.req.valid('query').ticket, config.secretKey);
  const refused = () => unauthenticated('No valid ticket (missing, expired, used, or forged)', false);
  if (!ticket) throw refused();
  const answer = await liveObjectOf(c.env, ticket.userId).fetch('https://live/', {
    headers: { Upgrade: 'websocket', 'X-Ticket': JSON.stringify(ticket) },
  });
  if (!answer.webSocket) throw refused();
  // A fresh Response: the object's has immutable headers, and the app's middleware adds some.
  return new Response(null, { status: 101, webSocket: answer.webSocket }) as never;
};
