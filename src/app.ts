// createApp(): every middleware and route registration, in one readable place. Runtime-neutral:
// the Worker entry (index.ts) is the only place that knows it runs on Workers.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Schema } from 'hono/types';
import * as auth from './auth/routes/index.ts';
import * as liveness from './health/live.ts';
import * as health from './health/route.ts';
import type { ClientSchema } from './http/client-schema.ts';
import { cors } from './http/cors.ts';
import { AppError } from './http/errors.ts';
import { everyRequest } from './http/every-request.ts';
import { answerWrongMethods } from './http/method-not-allowed.ts';
import { onError } from './http/on-error.ts';
import { createOpenApiApp } from './http/openapi.ts';
import { withConfig } from './http/with-config.ts';
import * as live from './live/routes.ts';
import * as tasks from './tasks/routes/index.ts';

export function createApp() {
  const app = createOpenApiApp();

  // Order matters: the request id, request log and hardening headers wrap everything (errors included); config
  // fails closed before anything else; CORS answers preflights before any route or auth.
  app.use('*', everyRequest, withConfig, cors);

  // One line per route; the chain carries every route's types to `hc<AppType>` clients.
  const routes = app
    .openapi(health.route, health.handler)
    .openapi(liveness.route, liveness.handler)
    .openapi(auth.signup.route, auth.signup.handler)
    .openapi(auth.signin.route, auth.signin.handler)
    .openapi(auth.me.route, auth.me.handler)
    .openapi(auth.changePassword.route, auth.changePassword.handler)
    .openapi(auth.deleteAccount.route, auth.deleteAccount.handler)
    .openapi(auth.refresh.route, auth.refresh.handler)
    .openapi(auth.signout.route, auth.signout.handler)
    .openapi(auth.signoutAll.route, auth.signoutAll.handler)
    .openapi(auth.sessions.route, auth.sessions.handler)
    .openapi(auth.revokeSession.route, auth.revokeSession.handler)
    .openapi(auth.passwordReset.route, auth.passwordReset.handler)
    .openapi(auth.passwordResetConfirm.route, auth.passwordResetConfirm.handler)
    .openapi(auth.verifyEmailRequest.route, auth.verifyEmailRequest.handler)
    .openapi(auth.verifyEmail.route, auth.verifyEmail.handler)
    .openapi(tasks.list.route, tasks.list.handler)
    .openapi(tasks.create.route, tasks.create.handler)
    // Before GET /api/tasks/{id}, which would take "changes" for an id (and answer 400).
    .openapi(tasks.changes.route, tasks.changes.handler)
    .openapi(live.connectRoute, live.connectHandler)
    .openapi(live.ticketRoute, live.ticketHandler)
    .openapi(tasks.get.route, tasks.get.handler)
    .openapi(tasks.patch.route, tasks.patch.handler)
    // PUT runs PATCH's handler; naming the route type keeps PUT's own (full) body in typed clients.
    .openapi<typeof tasks.put.route>(tasks.put.route, tasks.put.handler)
    .openapi(tasks.toggle.route, tasks.toggle.handler)
    .openapi(tasks.remove.route, tasks.remove.handler);

  answerWrongMethods(app);
  app.notFound(() => {
    throw new AppError('NOT_FOUND', 'No such route');
  });
  app.onError(onError);
  return routes;
}

/**
 * The app's type, for typed clients: `hc<AppType>(baseUrl)` from `hono/client`. Its routes' inputs as a
 * client sends them (ClientSchema: no `header: {}` where every header is optional).
 */
export type AppType =
  ReturnType<typeof createApp> extends OpenAPIHono<infer Env, infer S extends Schema, infer BasePath>
    ? OpenAPIHono<Env, ClientSchema<S>, BasePath>
    : never;
export type { AppEnv } from './env.ts';
