// The route schema that typed clients (`hc<AppType>` from hono/client) read, fixed where @hono/zod-openapi's
// types overstate what a request needs. Types only: the server, its validation and its OpenAPI document
// are unchanged.
//
// A route that declares request headers gets a required `header` key in its client input, even when every
// one of those headers is optional (InputTypeBase in @hono/zod-openapi makes the target key required). So
// a create without an Idempotency-Key, or a change without If-Match, had to be written `header: {}`.
// Here `header` is optional exactly when all its headers are: it can still be sent
// (`header: { 'if-match': etag }`), typed as before, and a route with a required header keeps it required.
import type { Endpoint, Schema } from 'hono/types';
import type { HasRequiredKeys } from 'hono/utils/types';

/** `header` optional in an endpoint's input when none of its headers is required. */
type OptionalHeader<Input> = Input extends { header: infer Header extends object }
  ? HasRequiredKeys<Header> extends false
    ? // Anonymous mapped types, not Omit or a named helper: the printed client/app-type.d.ts must name none.
      { [K in keyof Input as K extends 'header' ? never : K]: Input[K] } & { header?: Header } extends infer I
      ? { [K in keyof I]: I[K] }
      : never
    : Input
  : Input;

/** Each endpoint (one per status, a union) with its input's `header` made optional where it can be. */
type ClientEndpoint<E> = E extends { input: infer Input }
  ? { [K in keyof E]: K extends 'input' ? OptionalHeader<Input> : E[K] }
  : E;

/** A Hono route schema (path → `$method` → endpoints) as typed clients should see it. */
export type ClientSchema<S extends Schema> = {
  [Path in keyof S]: {
    [Method in keyof S[Path]]: ClientEndpoint<S[Path][Method]> extends infer E extends Endpoint ? E : never;
  };
};
