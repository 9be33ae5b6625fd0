// The problem+json responses of the OpenAPI document, finished in Node (never in the Worker bundle): a
// route's definition carries only, per status, the codes it can answer with (problemResponses in
// src/http/openapi.ts). Here each such response gets its description, its headers, and a schema whose
// `status` and `code` are narrowed to that operation's own codes.
//
// The narrowed schemas are inline (`allOf` of the shared Problem and the narrowing), not components:
// the combinations differ per operation (403 is QUOTA_EXCEEDED on one, EXTERNAL_ACCOUNT and
// INVALID_CREDENTIALS on another), and names for each would add components that say no more than the
// enum beside them.
import type { ErrorStatus, ProblemCode } from '../http/errors.ts';
import { PROBLEM_CODES } from '../http/openapi.ts';

/** What each code means, for the response descriptions; by status where one code has more than one. */
const MEANINGS: { [C in ProblemCode]: string | Partial<Record<ErrorStatus, string>> } = {
  VALIDATION_FAILED: 'the request (body, query, path or a header) is invalid; `errors` names each field',
  TOKEN_INVALID: 'the token from the email link is unknown, expired, already used, or no longer matches the account',
  UNAUTHENTICATED: 'no valid credentials, or their session has ended',
  TOKEN_EXPIRED: 'the access token has expired: refresh it',
  INVALID_CREDENTIALS: {
    401: 'the email or password is wrong (it never tells which)',
    403: "the password given is not the account's (`errors` names the field); the session is fine: do not sign out",
  },
  EXTERNAL_ACCOUNT: 'the account signs in at a trusted external issuer, which manages its password, sessions and email',
  ORIGIN_NOT_ALLOWED: 'the Origin of the WebSocket is not allowed',
  QUOTA_EXCEEDED: 'the account has as many tasks as it may have',
  NOT_FOUND: 'not found (or not yours)',
  METHOD_NOT_ALLOWED: 'method not allowed on this path',
  EMAIL_TAKEN: 'an account with this email exists; `errors` names the field',
  PRECONDITION_FAILED: 'If-Match names a version of the task that is no longer current; nothing changed',
  RESYNC_REQUIRED: 'the changes after `since` are no longer all known: sync again from since=0',
  PAYLOAD_TOO_LARGE: 'the body is over 64 KiB',
  UNSUPPORTED_MEDIA_TYPE: 'the body is not JSON',
  IDEMPOTENCY_KEY_REUSED: 'the Idempotency-Key was already used with a different body',
  UPGRADE_REQUIRED: 'not a WebSocket request',
  RATE_LIMITED: 'rate limited; see Retry-After',
  INTERNAL: 'an unexpected error',
  CONFIG_INVALID: 'the service is misconfigured',
  DATABASE_UNAVAILABLE: 'the database is unavailable; see Retry-After',
  AUTH_PROVIDER_UNAVAILABLE: "a trusted external issuer's signing keys cannot be fetched; see Retry-After",
};

function meaning(code: ProblemCode, status: number): string {
  const meanings = MEANINGS[code];
  const text = typeof meanings === 'string' ? meanings : meanings[status as ErrorStatus];
  if (text === undefined) throw new Error(`${code} has no description for ${status}`);
  return text;
}

// Statuses whose answers carry Retry-After (seconds): a rate limiter's period (Workers rate limiting
// allows 10 or 60 s), DATABASE_RETRY_AFTER_SECONDS or AUTH_PROVIDER_RETRY_AFTER_SECONDS.
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 60 },
  },
};

const WWW_AUTHENTICATE = {
  'WWW-Authenticate': {
    description: 'Bearer error="invalid_token" when a token was sent (error_description="expired" for TOKEN_EXPIRED)',
    schema: { type: 'string' },
  },
};

const HEADERS: Record<string, object> = { 401: WWW_AUTHENTICATE, 429: RETRY_AFTER, 503: RETRY_AFTER };

type Operation = { responses?: Record<string, { [PROBLEM_CODES]?: ProblemCode[] } | object> };

/** Finishes, in place, every response of `document` made by problemResponses. */
export function finishProblemResponses(document: { paths?: object }): void {
  for (const operations of Object.values(document.paths ?? {}) as Record<string, Operation>[]) {
    for (const operation of Object.values(operations)) {
      const responses = operation.responses ?? {};
      for (const [status, response] of Object.entries(responses)) {
        const codes = PROBLEM_CODES in response ? response[PROBLEM_CODES] : undefined;
        if (!codes) continue;
        responses[status] = {
          description: codes.map((code) => `${code}: ${meaning(code, Number(status))}`).join('; '),
          ...(HEADERS[status] ? { headers: HEADERS[status] } : {}),
          content: {
            'application/problem+json': {
              schema: {
                allOf: [
                  { $ref: '#/components/schemas/Problem' },
                  {
                    type: 'object',
                    properties: {
                      status: { type: 'number', enum: [Number(status)] },
                      code: { type: 'string', enum: codes },
                    },
                  },
                ],
              },
            },
          },
        };
      }
    }
  }
}
