// Reading a JSON request body safely, in the contract's order: size (413) before content type (415).
// The body is read here with a byte limit that also holds for chunked bodies without Content-Length,
// then handed to the route's validator through Hono's body cache (so it is read only once).
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { HonoEnv } from '../env.ts';
import { AppError } from './errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;
// The same media types the route validators (@hono/zod-openapi) accept, so the two never disagree:
// application/json or application/<x>+json, optionally with `; name=value` parameters.
const JSON_CONTENT_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function tooLarge() {
  return new AppError('PAYLOAD_TOO_LARGE', `The request body exceeds ${MAX_BODY_BYTES / 1024} KiB`);
}

async function readBody(c: Context<HonoEnv>): Promise<string> {
  const declaredLength = Number(c.req.header('Content-Length') ?? 0);
  if (declaredLength > MAX_BODY_BYTES) throw tooLarge();
  return c.req.raw.body ? await readLimited(c.req.raw.body, MAX_BODY_BYTES) : '';
}

/**
 * For routes that take a JSON body: 413 over 64 KiB, then 415 for a body of another type. A request
 * with no body and no Content-Type is not body-carrying: it goes on to validation (400).
 */
export const jsonBody = createMiddleware<HonoEnv>(async (c, next) => {
  const text = await readBody(c);
  const contentType = c.req.header('Content-Type');
  if (contentType === undefined ? text.length > 0 : !JSON_CONTENT_TYPE.test(contentType.trim())) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  // Hono keeps body promises in this cache (its type says string); json() then parses this text.
  (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
  await next();
});

/** For routes whose body is ignored: it is still read, and still limited to 64 KiB. */
export const ignoredBody = createMiddleware<HonoEnv>(async (c, next) => {
  await readBody(c);
  await next();
});
