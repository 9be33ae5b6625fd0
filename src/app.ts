// createApp(): every middleware and route registration, in one readable place. Runtime-neutral:
// the Worker entry (index.ts) is the only place that knows it runs on Workers.
import { changePassword, changePasswordRoute } from './auth/routes/change-password.ts';
import { deleteAccount, deleteAccountRoute } from './auth/routes/delete-account.ts';
import { getMe, meRoute } from './auth/routes/me.ts';
import { signin, signinRoute } from './auth/routes/signin.ts';
import { signup, signupRoute } from './auth/routes/signup.ts';
import { registerDocsRoutes } from './docs/routes.ts';
import { checkHealth, healthRoute } from './health/routes.ts';
import { withConfig } from './http/context.ts';
import { cors } from './http/cors.ts';
import { AppError, onError } from './http/errors.ts';
import { answerWrongMethods } from './http/method-not-allowed.ts';
import { createOpenApiApp } from './http/openapi.ts';
import { requestId } from './http/request-id.ts';
import { requestLog } from './http/request-log.ts';
import { securityHeaders } from './http/security-headers.ts';
import { createTaskHandler, createTaskRoute } from './tasks/routes/create.ts';
import { deleteTaskHandler, deleteTaskRoute } from './tasks/routes/delete.ts';
import { getTask, getTaskRoute } from './tasks/routes/get.ts';
import { listTasksHandler, listTasksRoute } from './tasks/routes/list.ts';
import { toggleTaskHandler, toggleTaskRoute } from './tasks/routes/toggle.ts';
import { patchTask, patchTaskRoute, putTask, putTaskRoute } from './tasks/routes/update.ts';

export function createApp() {
  const app = createOpenApiApp();

  // Order matters: the request id, request log and hardening headers wrap everything (errors included); config
  // fails closed before anything else; CORS answers preflights before any route or auth.
  app.use('*', requestId, requestLog, securityHeaders, withConfig, cors);

  // One line per route; the chain carries every route's types to `hc<AppType>` clients.
  const routes = app
    .openapi(healthRoute, checkHealth)
    .openapi(signupRoute, signup)
    .openapi(signinRoute, signin)
    .openapi(meRoute, getMe)
    .openapi(changePasswordRoute, changePassword)
    .openapi(deleteAccountRoute, deleteAccount)
    .openapi(listTasksRoute, listTasksHandler)
    .openapi(createTaskRoute, createTaskHandler)
    .openapi(getTaskRoute, getTask)
    .openapi(patchTaskRoute, patchTask)
    .openapi(putTaskRoute, putTask)
    .openapi(toggleTaskRoute, toggleTaskHandler)
    .openapi(deleteTaskRoute, deleteTaskHandler);
  registerDocsRoutes(app);

  answerWrongMethods(app);
  app.notFound(() => {
    throw new AppError('NOT_FOUND', 'No such route');
  });
  app.onError(onError);
  return routes;
}

/** The app's type, for typed clients: `hc<AppType>(baseUrl)` from `hono/client`. */
export type AppType = ReturnType<typeof createApp>;
export type { HonoEnv } from './env.ts';
