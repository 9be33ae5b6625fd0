// The API's response shapes, inferred from the same zod schemas that validate and document them, so a
// change to the API's contract fails this app's type check. Type-only imports: esbuild erases them, so
// none of the server's code (zod, drizzle, …) reaches the bundle (the browser test checks its size).
export type {
  SessionDto as Session,
  SessionInfoDto as SessionInfo,
  UserDto as User,
} from '../../../src/auth/schemas.ts';
export type { TaskDto as Task, TaskPageDto as TaskPage } from '../../../src/tasks/schemas.ts';
