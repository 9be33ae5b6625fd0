// The OpenAPI-aware Hono app type, the shared validation hook, and the problem+json responses that
// every route declares: docs and behaviour come from the same definitions.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import * as z from '../lib/zod.ts';
import { AppError, PROBLEMS, type ProblemCode, statusesOf } from './errors.ts';

export type OpenApiApp = OpenAPIHono<AppEnv>;

export function createOpenApiApp(): OpenApiApp {
  return new OpenAPIHono<AppEnv>({
    // Every zod failure (body, query, path) becomes one VALIDATION_FAILED problem listing each field
    // (path "" for the body or query as a whole), in words an app can show next to the field.
    defaultHook: (result) => {
      if (result.success) return;
      const errors = result.error.issues.flatMap(fieldErrors);
      throw new AppError('VALIDATION_FAILED', `The request ${result.target} is invalid`, { errors });
    },
  });
}

type Issue = z.core.$ZodIssue;

/** zod's issue as `{ path, message }`, with its generic wording for the common cases replaced. */
function fieldErrors(issue: Issue): { path: string; message: string }[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: path ? `${path}.${key}` : key,
      message: 'is not a field of this request',
    }));
  }
  if (issue.code === 'invalid_type') {
    // zod leaves the input out of its issues; its (English) message says what it received.
    const missing = / received undefined$/.test(issue.message);
    if (path === '' && missing) return [{ path, message: 'a JSON body is required' }];
    return [{ path, message: missing ? 'is required' : `must be ${article(issue.expected)}` }];
  }
  return [{ path, message: issue.message }];
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().openapi({ format: 'int32', minimum: 400, maximum: 599 }),
    detail: z.string(),
    code: z.enum(Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]]),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation failed (body, query or path), malformed JSON or unknown body fields',
  401: 'Missing or invalid credentials (INVALID_CREDENTIALS names no field: it never tells which of email or password was wrong)',
  403: 'Refused for this account: the password given is not its password (INVALID_CREDENTIALS, naming the field), it signs in at a trusted external issuer, which manages its password, sessions and email (EXTERNAL_ACCOUNT), or it has as many tasks as it may have (QUOTA_EXCEEDED), or the Origin of a WebSocket is not allowed (ORIGIN_NOT_ALLOWED)',
  404: 'Not found (or not yours)',
  405: 'Method not allowed on this path',
  409: 'Conflict',
  410: 'Sync again from since=0',
  412: 'If-Match names a version of the task that is no longer current; nothing changed',
  413: 'Body over 64 KiB',
  415: 'Body is not JSON',
  422: 'Idempotency key reused with a different body',
  426: 'Not a WebSocket request',
  429: 'Rate limited; see Retry-After',
  500: 'Internal error or invalid configuration',
  503: 'Database or sign-in provider unavailable; see Retry-After',
};

type ProblemStatus = keyof typeof STATUS_DESCRIPTIONS & number;

const codesFor = (status: number) =>
  (Object.keys(PROBLEMS) as ProblemCode[]).filter((code) => statusesOf(code).includes(status));

// Statuses whose answers carry Retry-After (seconds): a rate limiter's period (Workers rate limiting
// allows 10 or 60 s) or DATABASE_RETRY_AFTER_SECONDS.
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer' as const, format: 'int32', minimum: 1, maximum: 60 },
  },
};

const WWW_AUTHENTICATE = {
  'WWW-Authenticate': {
    description: 'Bearer error="invalid_token" when a token was sent (error_description="expired" for TOKEN_EXPIRED)',
    schema: { type: 'string' as const },
  },
};

/** The Problem schema with `code` narrowed to the codes this status can carry (e.g. 404 → NOT_FOUND). */
function problemFor(status: number) {
  const [first, ...rest] = codesFor(status);
  return Problem.extend({ code: z.enum([first, ...rest]), status: z.literal(status) }).openapi(`Problem${status}`);
}

/** The problem+json responses a route can return, for its OpenAPI definition. */
export function problemResponses<const S extends ProblemStatus>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: `${STATUS_DESCRIPTIONS[status]} (codes: ${codesFor(status).join(', ')})`,
        ...(status === 429 || status === 503
          ? { headers: RETRY_AFTER }
          : status === 401
            ? { headers: WWW_AUTHENTICATE }
            : {}),
        content: { 'application/problem+json': { schema: problemFor(status) } },
      },
    ]),
    // Typed as the general Problem, so every route's error responses have one shape in typed clients.
  ) as unknown as Record<
    S,
    { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }
  >;
}
