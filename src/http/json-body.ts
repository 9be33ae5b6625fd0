// Request bodies in the contract's order: size (413) before content type (415). Hono's bodyLimit
// enforces the 64 KiB limit, also on chunked bodies without Content-Length.
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { AppError } from './errors.ts';
import type { Problems } from './openapi.ts';

export const MAX_BODY_BYTES = 64 * 1024;
// The one media type the routes declare: application/json, whose only parameter may be charset=utf-8
// (RFC 8259 JSON is UTF-8). Look-alikes (application/vnd.api+json, charset=utf-16) are 415, not parsed
// as if they were ours.
const JSON_CONTENT_TYPE = /^application\/json(;\s*charset=("?)utf-8\2)?$/i;

const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError('PAYLOAD_TOO_LARGE', `The request body exceeds ${MAX_BODY_BYTES / 1024} KiB`);
  },
});

// One decoder for the isolate: without `stream`, every decode() starts afresh. `fatal`: invalid bytes throw.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * JSON is UTF-8 (RFC 8259). The JSON parser would silently turn invalid bytes into U+FFFD, so the raw
 * bytes are decoded strictly first: a body that is not UTF-8 is 400, and no U+FFFD from decoding is ever
 * stored. Answers the text.
 */
function decodeUtf8(bytes: ArrayBuffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The request body is not valid UTF-8', {
      errors: [{ path: 'body', message: 'must be UTF-8 encoded JSON' }],
    });
  }
}

/**
 * For routes that take a JSON body: 413 over 64 KiB, then 415 for a body of another type, then 400 for
 * bytes that are not UTF-8. A request
 * with no body and no Content-Type is not body-carrying: it goes on to validation (400).
 */
/** What jsonBody and the body's validation refuse (malformed JSON is VALIDATION_FAILED too). */
export const JSON_BODY_PROBLEMS = {
  400: ['VALIDATION_FAILED'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
} as const satisfies Problems;

export const jsonBody = createMiddleware<AppEnv>((c, next) =>
  limitBody(c, async () => {
    const contentType = c.req.header('Content-Type');
    // Without a Content-Type only an empty body may pass (Hono caches what is read here).
    const bodyCarrying = contentType === undefined ? (await c.req.text()).length > 0 : true;
    if (bodyCarrying && !JSON_CONTENT_TYPE.test(contentType?.trim() ?? '')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    }
    if (contentType !== undefined) {
      // The text as decoded here is what the body's validation parses: Hono's c.req.json() reads this
      // cache, which holds promises (its type says otherwise); without it, it would decode the cached
      // bytes a second time through a new Response.
      const text = decodeUtf8(await c.req.arrayBuffer());
      (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    }
    await next();
  }),
);

/**
 * The one rule for every route that takes no body: a body of any type is ignored, but it may not exceed
 * 64 KiB (413), the same limit as everywhere else.
 */
export const IGNORED_BODY_RULE = 'Takes no request body: one of any type is ignored, but over 64 KiB it is 413.';

/**
 * The OpenAPI declaration of such a body, for a route where a client may well send one (PATCH): optional,
 * any media type, any content. A non-zod schema, so the route validates nothing (and reads nothing).
 */
export const IGNORED_REQUEST_BODY = {
  required: false,
  description: IGNORED_BODY_RULE,
  content: { '*/*': { schema: {} } },
};

/** What ignoredBody refuses. */
export const IGNORED_BODY_PROBLEMS = { 413: ['PAYLOAD_TOO_LARGE'] } as const satisfies Problems;

/** For routes whose body is ignored: still limited to 64 KiB. */
export const ignoredBody = createMiddleware<AppEnv>((c, next) => limitBody(c, next));
