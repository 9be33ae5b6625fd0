// What the deployed Worker gets for 'hono' (wrangler.toml [alias]; the Workers tests use the same alias,
// vitest.config.ts): Hono with its TrieRouter alone. Hono's default, SmartRouter, tries RegExpRouter
// first and falls back to TrieRouter when RegExpRouter cannot take the routes, which is the case here
// (it refuses /api/tasks/:id as these routes register it: test/worker/http/router.test.ts). So the
// deployed Worker always routed with TrieRouter; the other two routers only added to the bundle.
import { HonoBase, type HonoOptions } from 'hono/hono-base';
import { TrieRouter } from 'hono/router/trie-router';
import type { BlankEnv, BlankSchema, Env, Schema } from 'hono/types';

export class Hono<
  E extends Env = BlankEnv,
  S extends Schema = BlankSchema,
  BasePath extends string = '/',
> extends HonoBase<E, S, BasePath> {
  constructor(options: HonoOptions<E> = {}) {
    super(options);
    this.router = options.router ?? new TrieRouter();
  }
}
