// A time as the API shows it (ISO 8601 UTC with milliseconds), for response schemas.
import * as z from './zod.ts';

export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-02-04T10:11:12.345Z' });
