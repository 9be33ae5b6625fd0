// The app's one error handler: anything thrown becomes a problem+json response; causes of 5xx go to the
// log (with the request id), never into the response.
import type { Context } from 'hono';
import { sqlState } from '../db/errors.ts';
import type { AppEnv } from '../env.ts';
import { logEvent } from '../lib/log.ts';
import { type AppError, PROBLEMS, problemType, toAppError } from './errors.ts';
import { responseRequestId } from './request-id.ts';

/**
 * What a log line may say about a failure: the innermost cause's name, message and SQLSTATE.
 * Drizzle's own message embeds the SQL and its parameters (emails, hashes), so it is never logged.
 */
function describeCause(error: unknown): Record<string, string> {
  let innermost = error;
  while (innermost instanceof Error && innermost.cause !== undefined) innermost = innermost.cause;
  const described: Record<string, string> = {
    error: innermost instanceof Error ? `${innermost.name}: ${innermost.message}` : String(innermost),
  };
  const state = sqlState(error);
  if (state) described.sqlState = state;
  return described;
}

function problemResponse(c: Context<AppEnv>, error: AppError): Response {
  const body = {
    type: problemType(error.code),
    title: PROBLEMS[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId: responseRequestId(c),
    ...(error.errors ? { errors: error.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { ...Object.fromEntries(c.res.headers), ...error.headers, 'Content-Type': 'application/problem+json' },
  });
}

export function onError(error: unknown, c: Context<AppEnv>): Response {
  const appError = toAppError(error);
  // CONFIG_INVALID is logged once per isolate, with the broken keys, where the config is parsed.
  if (appError.status >= 500 && appError.code !== 'CONFIG_INVALID') {
    logEvent('error', {
      requestId: c.get('requestId'),
      ...(c.get('clientRequestId') ? { clientRequestId: c.get('clientRequestId') } : {}),
      code: appError.code,
      ...describeCause(appError.cause ?? error),
    });
  }
  return problemResponse(c, appError);
}
