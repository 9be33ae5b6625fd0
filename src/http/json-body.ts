// Reading a JSON request body safely, in the contract's order: size (413) before content type (415).
// The body is read here with a byte limit that also holds for chunked bodies without Content-Length,
// then handed to the route's validator through Hono's body cache (so it is read only once).
import { createMiddleware } from 'hono/factory';
import type { HonoEnv } from '../env.ts';
import { AppError } from './errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

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

/** For routes that take a JSON body: 413 over 64 KiB, 415 unless Content-Type is JSON. */
export const jsonBody = createMiddleware<HonoEnv>(async (c, next) => {
  const declaredLength = Number(c.req.header('Content-Length') ?? 0);
  if (declaredLength > MAX_BODY_BYTES) throw tooLarge();
  const text = c.req.raw.body ? await readLimited(c.req.raw.body, MAX_BODY_BYTES) : '';
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0].trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  // Hono keeps body promises in this cache (its type says string); json() then parses this text.
  (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
  await next();
});

/** For routes whose body is ignored: still never read more than the limit. */
export const ignoredBody = createMiddleware<HonoEnv>(async (c, next) => {
  const declaredLength = Number(c.req.header('Content-Length') ?? 0);
  if (declaredLength > MAX_BODY_BYTES) throw tooLarge();
  await next();
});
