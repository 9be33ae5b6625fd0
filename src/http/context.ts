// Per-request plumbing: validated config (fails closed) and a database handle closed after the response.
import { createMiddleware } from 'hono/factory';
import { loadConfig } from '../config.ts';
import { createDatabase } from '../db/client.ts';
import type { HonoEnv } from '../env.ts';

export const withConfig = createMiddleware<HonoEnv>(async (c, next) => {
  c.set('config', loadConfig(c.env));
  await next();
});

export const withDatabase = createMiddleware<HonoEnv>(async (c, next) => {
  const { db, close } = createDatabase(c.get('config'));
  c.set('db', db);
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(close().catch(() => {}));
  }
});
