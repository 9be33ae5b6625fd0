// One error type over a closed set of codes, rendered as RFC 9457 problem+json. Routes throw
// AppError; the single onError (on-error.ts) renders it. The OpenAPI error responses come from here too.
import { HTTPException } from 'hono/http-exception';
import { isDatabaseUnavailable } from '../db/errors.ts';

// `status` is the code's usual status; `otherStatuses` lists any other it may be answered with, chosen
// by the route (AppError's `status` option). Each route documents the codes it answers with, per status
// (problemResponses in openapi.ts).
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  TOKEN_INVALID: { status: 400, title: 'Link invalid or expired' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  TOKEN_EXPIRED: { status: 401, title: 'Access token expired' },
  // 401 at signin; 403 when a signed-in user's password re-check fails (password change, account
  // deletion): the token is good, and a 401 there would make an app sign its user out.
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid credentials', otherStatuses: [403] },
  EXTERNAL_ACCOUNT: { status: 403, title: 'Managed by an external issuer' },
  ORIGIN_NOT_ALLOWED: { status: 403, title: 'Origin not allowed' },
  QUOTA_EXCEEDED: { status: 403, title: 'Quota exceeded' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  EMAIL_TAKEN: { status: 409, title: 'Email already registered' },
  PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },
  RESYNC_REQUIRED: { status: 410, title: 'Changes forgotten; resync' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused with a different body' },
  UPGRADE_REQUIRED: { status: 426, title: 'Upgrade required' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  CONFIG_INVALID: { status: 500, title: 'Service misconfigured' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'Database unavailable' },
  AUTH_PROVIDER_UNAVAILABLE: { status: 503, title: 'Sign-in provider unavailable' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;
type ProblemStatus = (typeof PROBLEMS)[ProblemCode]['status'];

/** The statuses code `C` can be answered with, as a type: its own, and any of its `otherStatuses`. */
type StatusesOfCode<C extends ProblemCode> =
  | (typeof PROBLEMS)[C]['status']
  | ((typeof PROBLEMS)[C] extends { otherStatuses: readonly (infer O)[] } ? O : never);
/** Every status a problem is answered with. */
export type ErrorStatus = StatusesOfCode<ProblemCode>;
/** The codes that can be answered with status `S` (403 → INVALID_CREDENTIALS, EXTERNAL_ACCOUNT, …). */
export type CodeAt<S extends ErrorStatus> = {
  [C in ProblemCode]: S extends StatusesOfCode<C> ? C : never;
}[ProblemCode];

/** Every status a code can be answered with: its own, and any listed in `otherStatuses`. */
export function statusesOf(code: ProblemCode): readonly number[] {
  const problem: { status: number; otherStatuses?: readonly number[] } = PROBLEMS[code];
  return [problem.status, ...(problem.otherStatuses ?? [])];
}
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ProblemCode;
  readonly status: ProblemStatus | 403;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;

  constructor(
    code: ProblemCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown; status?: 403 } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    if (options.status !== undefined && !statusesOf(code).includes(options.status)) {
      throw new Error(`${code} is never answered with ${options.status}`);
    }
    this.status = options.status ?? PROBLEMS[code].status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function problemType(code: ProblemCode): string {
  return `https://task-api.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}

/** Maps anything thrown to an AppError; unexpected failures become a bare INTERNAL. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    // Not "nothing was written": after a timeout the statement may have committed before its answer was
    // lost. A create retried with its Idempotency-Key, or a change sent with If-Match, stays safe.
    return new AppError(
      'DATABASE_UNAVAILABLE',
      'The database cannot be reached or did not answer in time. Retry later.',
      {
        headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
        cause: error,
      },
    );
  }
  if (error instanceof HTTPException) {
    // Hono's own validators throw these for unreadable bodies (e.g. malformed JSON).
    if (error.status === 400) return new AppError('VALIDATION_FAILED', 'The request body is not valid JSON');
    if (error.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'The request body exceeds 64 KiB');
    if (error.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  return new AppError('INTERNAL', 'An unexpected error occurred', { cause: error });
}
