// The API's response shapes, inferred from the same zod schemas that validate and document them, so a
// change to the API's contract fails this app's type check. Type-only imports: esbuild erases them, so
// none of the server's code (zod, drizzle, …) reaches the bundle (the browser test checks its size).
import type { z } from '@hono/zod-openapi';
import type { SessionInfo as SessionInfoSchema } from '../../../src/auth/schemas.ts';
import type { TaskPage as TaskPageSchema } from '../../../src/tasks/schemas.ts';

export type { SessionDto as Session, UserDto as User } from '../../../src/auth/schemas.ts';
export type { TaskDto as Task } from '../../../src/tasks/schemas.ts';
export type SessionInfo = z.infer<typeof SessionInfoSchema>;
export type TaskPage = z.infer<typeof TaskPageSchema>;
