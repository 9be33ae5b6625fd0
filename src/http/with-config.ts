// The validated configuration for every request; a broken one fails closed here (500 CONFIG_INVALID).
import { createMiddleware } from 'hono/factory';
import { loadConfig } from '../config.ts';
import type { AppEnv } from '../env.ts';

export const withConfig = createMiddleware<AppEnv>(async (c, next) => {
  c.set('config', loadConfig(c.env));
  await next();
});
