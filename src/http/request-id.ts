// X-Request-Id: echo a sane incoming id (1–128 of [A-Za-z0-9._:-]), otherwise mint one.
// Not hono/request-id: its accepted alphabet ([\w=-]) is not the contract's (which allows `.` and `:`).
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header('X-Request-Id');
  const id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set('requestId', id);
  await next();
  c.res.headers.set('X-Request-Id', id);
});
