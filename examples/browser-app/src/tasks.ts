// The task and session routes the app uses, typed with the API's own response types.
import { request } from './api.ts';
import type { SessionInfo, Task, TaskPage } from './types.ts';

export const PAGE_SIZE = 10;

/** A task and the ETag it was served with, if the API sends one (null when it does not). */
export interface Versioned {
  task: Task;
  etag: string | null;
}

// Reading ETag cross-origin needs the API to list it in Access-Control-Expose-Headers; when it does not
// (or the API has no ETags yet), this is null and edits are sent without If-Match.
const versioned = async (response: Response): Promise<Versioned> => ({
  task: await response.json(),
  etag: response.headers.get('ETag'),
});

/** One page, newest first; pass the previous page's `nextCursor` to get the next one. */
export async function listTasks(cursor: string | null): Promise<TaskPage> {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) query.set('cursor', cursor);
  return (await request('GET', `/api/tasks?${query}`)).json();
}

export async function getTask(id: number): Promise<Versioned> {
  return versioned(await request('GET', `/api/tasks/${id}`));
}

export async function createTask(title: string): Promise<Versioned> {
  return versioned(await request('POST', '/api/tasks', { body: { title } }));
}

/**
 * Changes the title. With the ETag the edit started from, the API refuses (412 PRECONDITION_FAILED)
 * when someone else changed the task meanwhile, instead of silently overwriting their change.
 */
export async function renameTask(id: number, title: string, etag: string | null): Promise<Versioned> {
  const headers: Record<string, string> = etag ? { 'If-Match': etag } : {};
  return versioned(await request('PATCH', `/api/tasks/${id}`, { body: { title }, headers }));
}

// The checkbox's new state, not a flip (PATCH …/complete): sending it twice, or after another tab
// changed it, still ends in the state the user chose.
export async function setCompleted(id: number, completed: boolean): Promise<Versioned> {
  return versioned(await request('PATCH', `/api/tasks/${id}`, { body: { completed } }));
}

export async function deleteTask(id: number): Promise<void> {
  await request('DELETE', `/api/tasks/${id}`);
}

export async function listSessions(): Promise<SessionInfo[]> {
  return (await (await request('GET', '/api/auth/sessions')).json()).items;
}

/** Ends one session of the account, e.g. a lost phone's; its next request is refused. */
export async function revokeSession(id: string): Promise<void> {
  await request('DELETE', `/api/auth/sessions/${id}`);
}
