// createApp(): every middleware and route registration, in one readable place. Runtime-neutral:
// the Worker entry (index.ts) is the only place that knows it runs on Workers.
import { registerAuthRoutes } from './auth/routes/index.ts';
import type { HonoEnv } from './env.ts';
import { registerHealthRoutes } from './health/routes.ts';
import { withConfig } from './http/context.ts';
import { AppError, onError } from './http/errors.ts';
import { answerWrongMethods } from './http/method-not-allowed.ts';
import { createOpenApiApp } from './http/openapi.ts';
import { requestId } from './http/request-id.ts';
import { securityHeaders } from './http/security-headers.ts';
import { registerTaskRoutes } from './tasks/routes/index.ts';

export function createApp() {
  const app = createOpenApiApp();

  // Order matters: the request id and headers wrap everything (errors included); config fails closed
  // before any route runs.
  app.use('*', requestId, securityHeaders, withConfig);

  registerHealthRoutes(app);
  registerAuthRoutes(app);
  registerTaskRoutes(app);

  answerWrongMethods(app);
  app.notFound(() => {
    throw new AppError('NOT_FOUND', 'No such route');
  });
  app.onError(onError);
  return app;
}

export type AppType = ReturnType<typeof createApp>;
export type { HonoEnv };
