// Task versions over HTTP: every Task response carries `ETag: "<version>"` (a strong validator), and the
// writes honour `If-Match` (RFC 9110 §13.1.1) by putting the version check into their own statement.
import * as z from '../lib/zod.ts';

/** What an If-Match header asks for: any current version (`*`), or one of these versions. */
export type IfMatch = { kind: 'any' } | { kind: 'versions'; versions: number[] };

const MAX_VERSION = 2_147_483_647; // tasks.version is a Postgres integer
const MAX_IF_MATCH_LENGTH = 1024;
// entity-tag = [ W/ ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text
const ENTITY_TAG = /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;
/** The header's grammar for the OpenAPI document: `*`, or a comma-separated list of entity tags. */
const TAG = '(W/)?"[\\x21\\x23-\\x7e\\x80-\\xff]*"';
export const IF_MATCH_PATTERN = `^\\s*(\\*|${TAG}(\\s*,\\s*${TAG})*)\\s*$`;
const OUR_TAG = /^"([1-9][0-9]{0,9})"$/;

export function etag(version: number): string {
  return `"${version}"`;
}

/**
 * Parses an If-Match value; null when it is not `*` or a comma-separated list of entity tags. Weak tags
 * and tags this API never issued are valid syntax but never match (If-Match compares strongly).
 */
export function parseIfMatch(value: string): IfMatch | null {
  const trimmed = value.trim();
  if (trimmed === '*') return { kind: 'any' };
  if (trimmed.length === 0 || value.length > MAX_IF_MATCH_LENGTH) return null;
  const versions: number[] = [];
  for (const part of trimmed.split(',')) {
    const tag = part.trim();
    if (!ENTITY_TAG.test(tag)) return null;
    const version = Number(OUR_TAG.exec(tag)?.[1] ?? Number.NaN);
    if (version <= MAX_VERSION) versions.push(version);
  }
  return { kind: 'versions', versions };
}

export const IF_MATCH_DESCRIPTION =
  'Change the task only if its current version is one of these entity tags (the `ETag` of an earlier ' +
  'response), else 412 PRECONDITION_FAILED and nothing changes. `*` matches any existing task. A value that is ' +
  'not `*` or a list of entity tags is 400 VALIDATION_FAILED; weak tags (`W/"…"`) never match. A missing task is ' +
  '404 whether or not If-Match is sent.';

/** The If-Match header, parsed once by the schema: handlers get an IfMatch (or undefined without one). */
export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .transform((value, context) => {
      const parsed = parseIfMatch(value);
      if (parsed !== null) return parsed;
      context.addIssue({ code: 'custom', message: 'must be * or a comma-separated list of entity tags ("…")' });
      return z.NEVER;
    })
    .optional()
    .openapi({
      param: { name: 'if-match', in: 'header' },
      type: 'string',
      maxLength: MAX_IF_MATCH_LENGTH,
      pattern: IF_MATCH_PATTERN,
      description: IF_MATCH_DESCRIPTION,
      example: '"3"',
    }),
});

/** The ETag response header, for the OpenAPI document. */
export const ETAG_HEADER = {
  ETag: {
    schema: { type: 'string' as const, example: '"3"' },
    description: "The task's current version (strong entity tag); send it back in If-Match",
  },
};
