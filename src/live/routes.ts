// POST /api/tasks/live/ticket and GET /api/tasks/live: a WebSocket that carries the caller's committed
// task changes as they happen (object.ts). docs/API.md, Live updates.
import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { authenticatedRoute } from '../auth/authenticated.ts';
import { liveSessionCondition } from '../auth/caller.ts';
import { sessionEnded, unauthenticated } from '../auth/errors.ts';
import type { AppRouteHandler } from '../env.ts';
import { AppError } from '../http/errors.ts';
import { IGNORED_BODY_PROBLEMS, IGNORED_BODY_RULE, ignoredBody } from '../http/json-body.ts';
import { problemResponses, VALIDATION_PROBLEMS } from '../http/openapi.ts';
import { DATABASE_PROBLEMS, withDatabase } from '../http/with-database.ts';
import * as z from '../lib/zod.ts';
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
  // One statement: the session is live, and when it ends (its socket is closed then). An external
  // issuer's user has no session here: its socket lives as long as one of our access tokens would.
  const { rows } = await c
    .get('db')
    .execute<{ live: boolean; ends_ms: string | null }>(sql`select ${liveSessionCondition(caller)} as live,
(select (extract(epoch from least(idle_expires_at, expires_at)) * 1000)::bigint from sessions where id = ${caller.sessionId ?? null}) as ends_ms`);
  if (rows[0]?.live !== true) throw sessionEnded();
  const sessionEndsAt = Number(rows[0].ends_ms ?? Date.now() + config.ACCESS_TOKEN_TTL_SECONDS * 1000);
  const ticket = await issueTicket(config.secretKey, {
    userId: caller.userId,
    sessionId: caller.sessionId ?? '',
    sessionEndsAt,
  });
  return c.json({ ticket, url: `/api/tasks/live?ticket=${ticket}`, expiresIn: TICKET_SECONDS }, 201);
};

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
