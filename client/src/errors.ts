// Every failure is a value of one of these classes, never a message to parse: branch on `instanceof`,
// `status` and `code` (the API's stable codes, from its OpenAPI document).
import type { components } from '../openapi.js';

type Problem = components['schemas']['Problem'];
export type ErrorCode = Problem['code'];
export type Task = components['schemas']['Task'];

/** One invalid field, to show beside it (`path` is the body field's name, e.g. `email`). */
export interface FieldError {
  path: string;
  message: string;
}

/** An answer of the API other than 2xx (an RFC 9457 problem). */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  /** 'UNKNOWN' when the body was not the API's problem (e.g. a proxy's error page). */
  readonly code: ErrorCode | 'UNKNOWN';
  readonly detail: string;
  readonly errors: FieldError[];
  readonly requestId: string | null;
  /** Seconds to wait before trying again (Retry-After of a 429 or 503), when the API said. */
  readonly retryAfter: number | null;

  constructor(
    /** The answer itself, for anything else in it (headers). */
    readonly response: Response,
    body: unknown,
  ) {
    const problem: Partial<Problem> = typeof body === 'object' && body ? body : {};
    super(`${response.status} ${problem.code ?? 'UNKNOWN'}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.status = response.status;
    this.code = problem.code ?? 'UNKNOWN';
    this.detail = problem.detail ?? '';
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId ?? response.headers.get('X-Request-Id');
    const wait = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    this.retryAfter = wait >= 0 ? wait : null;
  }
}

/** No answer at all: offline, DNS, CORS refusal, connection reset, or a timeout. */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(cause: unknown) {
    super(`The Task API could not be reached: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

/** 412: someone changed the task since this client last saw it; `task` is how it is now. */
export class TaskConflictError extends ApiError {
  override name = 'TaskConflictError';
  constructor(
    refused: ApiError,
    readonly task: Task,
  ) {
    super(refused.response, refused); // an ApiError has the fields of the problem it was made from
  }
}
