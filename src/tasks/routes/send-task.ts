// The one way a task goes out: its DTO as JSON, with its version as the ETag (RFC 9110 §8.8.3).
import type { Context } from 'hono';
import type { TaskRow } from '../../db/schema.ts';
import { etag } from '../if-match.ts';
import { toTaskDto } from '../schemas.ts';

export function sendTask<S extends 200 | 201>(c: Context, row: TaskRow, status: S) {
  c.header('ETag', etag(row.version));
  return c.json(toTaskDto(row), status);
}
