// The one way to declare an authenticated route: it adds the OpenAPI `security` entry, the 401 response
// and the requireUser middleware together, so the document and the behaviour cannot drift apart.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { problemResponses } from '../http/openapi.ts';
import { requireUser } from './require-user.ts';

// Any middleware, whatever its environment.
type Middleware = MiddlewareHandler<any, any, any>;
type RouteWithoutAuth = Omit<RouteConfig, 'security' | 'middleware'> & { middleware?: readonly Middleware[] };
type WithRequireUser<M> = M extends readonly Middleware[] ? [typeof requireUser, ...M] : [typeof requireUser];

export const BEARER_SECURITY = [{ bearerAuth: [] as string[] }];
// 503: an external issuer's keys cannot be fetched (AUTH_PROVIDER_UNAVAILABLE).
const unauthenticatedResponse = problemResponses(401, 503);

export type AuthenticatedRoute<R extends RouteWithoutAuth> = Omit<R, 'middleware' | 'responses'> & {
  security: typeof BEARER_SECURITY;
  middleware: WithRequireUser<R['middleware']>;
  responses: R['responses'] & typeof unauthenticatedResponse;
  getRoutingPath(): string;
};

/** `createRoute` for a route that needs a signed-in user: requireUser runs first (401 before anything else). */
export function authenticatedRoute<P extends string, R extends RouteWithoutAuth & { path: P }>(
  config: R,
): AuthenticatedRoute<R> {
  return createRoute({
    ...config,
    security: BEARER_SECURITY,
    middleware: [requireUser, ...(config.middleware ?? [])],
    responses: { ...config.responses, ...unauthenticatedResponse },
  } as RouteConfig) as unknown as AuthenticatedRoute<R>;
}
