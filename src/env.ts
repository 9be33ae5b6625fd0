// The app's Hono environment: what the runtime binds, and the variables that app-wide middleware sets
// for every request. Variables that only some routes have (the database handle, the signed-in user)
// are declared by the middleware that sets them, so a handler sees them only when its route lists it.
import type { RouteConfig, RouteConfigToEnv, RouteHandler } from '@hono/zod-openapi';
import type { Bindings } from './bindings.ts';
import type { Config } from './config.ts';

export interface AppVariables {
  /** The server's own id for this request, in every log line. */
  requestId: string;
  /** A sane X-Request-Id sent by the client: logged beside `requestId`, echoed in the response. */
  clientRequestId?: string;
  config: Config;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: AppVariables;
}

/** A handler typed from its route: the app's variables plus those its route's middleware declare. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv & RouteConfigToEnv<R>>;
