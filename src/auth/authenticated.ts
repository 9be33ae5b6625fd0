// The one way to declare an authenticated route: it adds the OpenAPI `security` entry, the 401 response
// and the requireUser middleware together, so the document and the behaviour cannot drift apart.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { type Problems, problemResponses, problemsOf } from '../http/openapi.ts';
import { requireUser } from './require-user.ts';

// Any middleware, whatever its environment.
type Middleware = MiddlewareHandler<any, any, any>;
type RouteWithoutAuth = Omit<RouteConfig, 'security' | 'middleware'> & { middleware?: readonly Middleware[] };
type WithRequireUser<M> = M extends readonly Middleware[] ? [typeof requireUser, ...M] : [typeof requireUser];

export const BEARER_SECURITY = [{ bearerAuth: [] as string[] }];
/**
 * requireUser's refusals: no valid token, or one whose session has ended (found by the route's own
 * statement), 401; an expired one, 401; an external issuer whose keys cannot be fetched, 503.
 */
export const AUTHENTICATED_PROBLEMS = {
  401: ['UNAUTHENTICATED', 'TOKEN_EXPIRED'],
  503: ['AUTH_PROVIDER_UNAVAILABLE'],
} as const satisfies Problems;
type UnauthenticatedResponses = ReturnType<typeof problemResponses<[typeof AUTHENTICATED_PROBLEMS]>>;

export type AuthenticatedRoute<R extends RouteWithoutAuth> = Omit<R, 'middleware' | 'responses'> & {
  security: typeof BEARER_SECURITY;
  middleware: WithRequireUser<R['middleware']>;
  responses: R['responses'] & UnauthenticatedResponses;
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
    // The route's own codes and requireUser's, merged per status (both may answer 503).
    responses: { ...config.responses, ...problemResponses(problemsOf(config.responses), AUTHENTICATED_PROBLEMS) },
  } as RouteConfig) as unknown as AuthenticatedRoute<R>;
}
