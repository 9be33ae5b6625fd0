// The OpenAPI-aware Hono app type, the shared validation hook, and the problem+json responses that
// every route declares: docs and behaviour come from the same definitions.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import * as z from '../lib/zod.ts';
import { AppError, PROBLEMS, type ProblemCode } from './errors.ts';

export type OpenApiApp = OpenAPIHono<AppEnv>;

export function createOpenApiApp(): OpenApiApp {
  return new OpenAPIHono<AppEnv>({
    // Every zod failure (body, query, path) becomes one VALIDATION_FAILED problem listing each field.
    defaultHook: (result) => {
      if (result.success) return;
      const errors = result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || result.target,
        message: issue.message,
      }));
      throw new AppError('VALIDATION_FAILED', `The request ${result.target} is invalid`, { errors });
    },
  });
}

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]]),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation failed (body, query or path), malformed JSON or unknown body fields',
  401: 'Missing or invalid credentials',
  404: 'Not found (or not yours)',
  405: 'Method not allowed on this path',
  409: 'Conflict',
  413: 'Body over 64 KiB',
  415: 'Body is not JSON',
  422: 'Idempotency key reused with a different body',
  429: 'Rate limited; see Retry-After',
  500: 'Internal error or invalid configuration',
  503: 'Database unavailable; see Retry-After',
};

type ProblemStatus = keyof typeof STATUS_DESCRIPTIONS & number;

/** The problem+json responses a route can return, for its OpenAPI definition. */
export function problemResponses<const S extends ProblemStatus>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: `${STATUS_DESCRIPTIONS[status]} (codes: ${Object.entries(PROBLEMS)
          .filter(([, problem]) => problem.status === status)
          .map(([code]) => code)
          .join(', ')})`,
        content: { 'application/problem+json': { schema: Problem } },
      },
    ]),
  ) as Record<S, { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }>;
}
