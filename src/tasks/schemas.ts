// Request and response shapes of the task routes: they validate requests and generate the OpenAPI.
import { MAX_TASK_ID, type TaskRow } from '../db/schema.ts';
import { Timestamp } from '../lib/timestamp.ts';
import * as z from '../lib/zod.ts';

// Text must be text (400 otherwise, before anything is stored):
// - well-formed Unicode: no lone surrogates (a JSON `\ud800` escape); invalid UTF-8 bytes never get
//   this far (json-body.ts refuses the body), so no U+FFFD from decoding is ever stored;
// - no control characters (U+0000–U+001F, U+007F–U+009F; Postgres cannot even store U+0000), except
//   tab, line feed and carriage return in descriptions;
// - titles also carry no bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069),
//   which could make a title display as something else. Descriptions keep them verbatim.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const TITLE_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const DESCRIPTION_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

const wellFormed = [
  (text: string) => !LONE_SURROGATE.test(text),
  'must be well-formed Unicode (no lone surrogates)',
] as const;

export const TEXT_RULES = 'Must be well-formed Unicode, without control characters (U+0000–U+001F, U+007F–U+009F)';

const Title = z
  .string()
  .refine(...wellFormed)
  .refine((text) => !TITLE_CONTROL.test(text), 'must not contain control characters')
  .refine(
    (text) => !BIDI_CONTROL.test(text),
    'must not contain bidirectional embedding, override or isolate characters (U+202A–U+202E, U+2066–U+2069)',
  )
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .openapi({
    example: 'Buy milk',
    description: `Trimmed; 1–200 characters. ${TEXT_RULES} and without bidirectional embedding, override or isolate characters (U+202A–U+202E, U+2066–U+2069); else 400.`,
  });
const Description = z
  .string()
  .refine(...wellFormed)
  .refine(
    (text) => !DESCRIPTION_CONTROL.test(text),
    'must not contain control characters other than tab, line feed and carriage return',
  )
  .max(1000, 'must be at most 1000 characters')
  .nullable()
  .openapi({
    example: 'Two litres, semi-skimmed',
    description: `At most 1000 characters. ${TEXT_RULES}, except tab, line feed and carriage return; else 400. Bidirectional control characters are stored verbatim (display it isolated, e.g. in <bdi>).`,
  });

export const CreateTaskBody = z
  .strictObject({ title: Title, description: Description.optional(), completed: z.boolean().optional() })
  .openapi('CreateTaskBody');

export const PatchTaskBody = z
  .strictObject({ title: Title.optional(), description: Description.optional(), completed: z.boolean().optional() })
  .refine((body) => Object.keys(body).length > 0, { error: 'send at least one of title, description, completed' })
  .openapi('PatchTaskBody', { minProperties: 1 });

export const PutTaskBody = z
  .strictObject({ title: Title, description: Description, completed: z.boolean() })
  .openapi('PutTaskBody');

/** The most tasks one page of the list holds (its `limit`). */
export const MAX_PAGE_SIZE = 100;

export const TaskIdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer')
    .transform(Number)
    .refine((id) => id <= MAX_TASK_ID, `must be at most ${MAX_TASK_ID}`)
    .openapi({
      param: { name: 'id', in: 'path' },
      type: 'integer',
      format: 'int64',
      minimum: 1,
      maximum: MAX_TASK_ID,
      example: 42,
    }),
});

/** `limit` in a query string: an integer from 1 to `max`, `fallback` when absent. */
function limitParam(max: number, fallback: number) {
  const rule = `must be an integer from 1 to ${max}`;
  return z
    .string()
    .regex(/^[0-9]{1,3}$/, rule)
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= max, rule)
    .default(fallback)
    .openapi({
      param: { name: 'limit', in: 'query' },
      type: 'integer',
      format: 'int32',
      minimum: 1,
      maximum: max,
      default: fallback,
    });
}

export const ListTasksQuery = z.object({
  status: z
    .enum(['all', 'pending', 'completed'])
    .default('all')
    .openapi({ param: { name: 'status', in: 'query' } }),
  order: z
    .enum(['desc', 'asc'])
    .default('desc')
    .openapi({ param: { name: 'order', in: 'query' }, description: 'By creation time' }),
  limit: limitParam(MAX_PAGE_SIZE, 20),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page' }),
});

export const Task = z
  .object({
    id: z.number().int().positive().max(MAX_TASK_ID).openapi({
      format: 'int64',
      example: 42,
      description: 'A 64-bit id, always below 2^53 (9007199254740991), so a JSON number holds it exactly',
    }),
    title: z.string(),
    description: z.string().nullable(),
    completed: z.boolean(),
    version: z.number().int().min(1).max(2_147_483_647).openapi({
      format: 'int32',
      example: 3,
      description:
        'The task\'s version: 1 when created, one more with every change. The ETag of a Task response is this number in quotes; send it back as If-Match (`"3"`) to change only this version.',
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Task');

export const TaskPage = z
  .object({ items: z.array(Task).openapi({ maxItems: MAX_PAGE_SIZE }), nextCursor: z.string().nullable() })
  .openapi('TaskPage');

/** The most changes one page of GET /api/tasks/changes holds (its `limit`). */
export const MAX_CHANGES_PAGE = 500;

export const ChangesQuery = z.object({
  since: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a non-negative integer')
    .transform(Number)
    .refine((since) => since <= Number.MAX_SAFE_INTEGER, 'must be a cursor returned by this route')
    .default(0)
    .openapi({
      param: { name: 'since', in: 'query' },
      type: 'integer',
      format: 'int64',
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
      description: 'The last `seq` you applied (the previous `cursor`); 0 for everything',
    }),
  limit: limitParam(MAX_CHANGES_PAGE, 100),
});

const Seq = z.number().int().positive().max(Number.MAX_SAFE_INTEGER).openapi({
  format: 'int64',
  description: 'Your change sequence: 1, 2, 3… in commit order, without gaps',
});

export const TaskChange = z
  .union([z.object({ seq: Seq, task: Task }), z.object({ seq: Seq, deleted: z.object({ id: Task.shape.id }) })])
  .openapi('TaskChange');

export const ChangePage = z
  .object({
    changes: z.array(TaskChange).openapi({ maxItems: MAX_CHANGES_PAGE }),
    cursor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({
      format: 'int64',
      description: 'The last `seq` here (else `since`): the next `since`',
    }),
    hasMore: z.boolean(),
  })
  .openapi('ChangePage');

export type TaskDto = z.infer<typeof Task>;
export type TaskPageDto = z.infer<typeof TaskPage>;

/** `2026-02-04 10:11:12.345678` (UTC, as stored) → `2026-02-04T10:11:12.345Z`. */
export function isoFromUtcTimestamp(stored: string): string {
  const [date, time] = stored.split(' ');
  const [clock, fraction = ''] = time.split('.');
  return `${date}T${clock}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
}

export function toTaskDto(row: TaskRow): TaskDto {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    version: row.version,
    createdAt: isoFromUtcTimestamp(row.createdAt),
    updatedAt: isoFromUtcTimestamp(row.updatedAt),
  };
}

/** The OpenAPI tag of every task route. */
export const TAGS = ['Tasks'];
