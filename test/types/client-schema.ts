// Type-level proofs for ClientSchema (src/http/client-schema.ts), checked by `npm run typecheck`: in
// `hc<AppType>`, `header` may be left out where every header of the route is optional, and stays
// required where one is required.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { hc } from 'hono/client';
import type { ClientSchema } from '../../src/http/client-schema.ts';
import * as z from '../../src/lib/zod.ts';

const responses = { 204: { description: 'done' } };
const optional = createRoute({
  method: 'post',
  path: '/optional',
  request: { headers: z.object({ 'if-match': z.string().optional() }) },
  responses,
});
const required = createRoute({
  method: 'post',
  path: '/required',
  request: { headers: z.object({ 'x-required': z.string() }) },
  responses,
});
const app = new OpenAPIHono().openapi(optional, (c) => c.body(null, 204)).openapi(required, (c) => c.body(null, 204));
type Client<T> = T extends OpenAPIHono<infer E, infer S, infer B> ? OpenAPIHono<E, ClientSchema<S>, B> : never;

export async function calls() {
  const client = hc<Client<typeof app>>('http://api.test');
  await client.optional.$post();
  await client.optional.$post({});
  await client.optional.$post({ header: { 'if-match': '"1"' } });
  await client.required.$post({ header: { 'x-required': 'yes' } });
  // @ts-expect-error a required header stays required
  await client.required.$post({});
  // @ts-expect-error without ClientSchema even an optional header needs `header: {}` (what it fixes)
  await hc<typeof app>('http://api.test').optional.$post({});
}
