// What the deployed Worker gets for 'hono' (wrangler.toml [alias]): Hono with its RegExpRouter alone.
// Hono's default, SmartRouter, picks between RegExpRouter and TrieRouter on the first request; every
// route here is a plain path with `:params` (RegExpRouter's case), so it would always pick RegExpRouter,
// and the other two only add to the bundle (1.0 KiB gzip, measured with npm run bundle:check). The routing is the same: the tests run
// against this alias too (they use wrangler.toml).
import { HonoBase, type HonoOptions } from 'hono/hono-base';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import type { BlankEnv, BlankSchema, Env, Schema } from 'hono/types';

export class Hono<
  E extends Env = BlankEnv,
  S extends Schema = BlankSchema,
  BasePath extends string = '/',
> extends HonoBase<E, S, BasePath> {
  constructor(options: HonoOptions<E> = {}) {
    super(options);
    this.router = options.router ?? new RegExpRouter();
  }
}
