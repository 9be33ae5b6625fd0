// The OpenAPI-aware Hono app type, the shared validation hook, and the problem+json responses that
// every route declares: docs and behaviour come from the same definitions.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import * as z from '../lib/zod.ts';
import { AppError, type CodeAt, type ErrorStatus, PROBLEMS, type ProblemCode } from './errors.ts';

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

/**
 * The codes a route can answer with, per status: `{ 404: ['NOT_FOUND'] }`. Each middleware that can
 * refuse a request names its own (JSON_BODY_PROBLEMS, RATE_LIMIT_PROBLEMS, …); a route lists those of
 * the middleware it uses and its handler's, and its OpenAPI responses document exactly these codes.
 */
export type Problems = { readonly [S in ErrorStatus]?: readonly CodeAt<S>[] };

/** What any route can answer: an unexpected failure, or the configuration check in front of every route. */
export const EVERY_ROUTE_PROBLEMS = { 500: ['INTERNAL', 'CONFIG_INVALID'] } as const satisfies Problems;
/** A route whose request (path, query or headers) is validated: the defaultHook above. */
export const VALIDATION_PROBLEMS = { 400: ['VALIDATION_FAILED'] } as const satisfies Problems;

/** Where a problem response keeps its codes until the document generator (src/docs/problems.ts) reads them. */
export const PROBLEM_CODES = 'x-problem-codes';

const PROBLEM_CONTENT = { 'application/problem+json': { schema: Problem } };

type StatusesOf<P> = P extends unknown ? Extract<keyof P, ErrorStatus> : never;

/**
 * A route's problem+json responses: for each status, the codes of all `problems` together, and always
 * EVERY_ROUTE_PROBLEMS. The Worker keeps only the code lists; the document generator gives each
 * response its description, headers and a schema whose `code` is narrowed to them.
 */
export function problemResponses<const P extends readonly Problems[]>(...problems: P) {
  const responses: Record<string, { description: string; [PROBLEM_CODES]: ProblemCode[]; content: object }> = {};
  for (const set of [EVERY_ROUTE_PROBLEMS, ...problems]) {
    for (const [status, codes] of Object.entries(set) as [string, ProblemCode[]][]) {
      const listed = responses[status]?.[PROBLEM_CODES] ?? [];
      const merged = [...listed, ...codes.filter((code) => !listed.includes(code))];
      responses[status] = { description: '', [PROBLEM_CODES]: merged, content: PROBLEM_CONTENT };
    }
  }
  // Typed as the general Problem, so every route's error responses have one shape in typed clients.
  return responses as unknown as Record<
    StatusesOf<P[number]> | 500,
    { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }
  >;
}

/** The codes of the problem responses in `responses` (made by problemResponses), per status. */
export function problemsOf(responses: object): Problems {
  const problems: Record<string, ProblemCode[]> = {};
  for (const [status, response] of Object.entries(responses)) {
    if (response[PROBLEM_CODES]) problems[status] = response[PROBLEM_CODES];
  }
  return problems;
}
