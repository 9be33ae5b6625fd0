// Task calls. Creates carry an Idempotency-Key, so retrying one after no answer or a 503 cannot create
// it twice (the API replays the first answer). Changes carry If-Match with the version this client
// last saw of the task (its ETag, or the `version` of a listed task), so a change made elsewhere in the
// meantime is never overwritten: the API answers 412 and the caller gets TaskConflictError with the
// task as it is now.
import type { Client } from 'openapi-fetch';
import type { components, paths } from '../openapi.js';
import { ApiError, type Task, TaskConflictError } from './errors.js';
import { type SubscribeOptions, subscribe, type TaskChange } from './live.js';
import { type RetryPolicy, retrying } from './retry.js';
import { send } from './send.js';

export type TaskPage = components['schemas']['TaskPage'];
export type TaskQuery = NonNullable<paths['/api/tasks']['get']['parameters']['query']>;
export type NewTask = components['schemas']['CreateTaskBody'];
export type TaskChanges = components['schemas']['PatchTaskBody'];
export type TaskReplacement = components['schemas']['PutTaskBody'];

export type ChangePage = components['schemas']['ChangePage'];

export function createTasks(
  raw: Client<paths>,
  retry: RetryPolicy,
  baseUrl: string,
  onAuth: (listener: (event: string) => void) => () => void,
) {
  /** Entity tags by task id: the version each task had when this client last saw it. */
  const versions = new Map<number, string>();

  function saw(task: Task, response?: Response): Task {
    // Lists carry no ETag; their items will carry `version` (the ETag is that number, quoted).
    const version = (task as Task & { version?: number }).version;
    const tag = response?.headers.get('ETag') ?? (version === undefined ? null : `"${version}"`);
    if (tag) versions.set(task.id, tag);
    return task;
  }

  /** A call answering one task, whose ETag is remembered. */
  async function one(pending: Promise<{ data?: Task; error?: unknown; response: Response }>): Promise<Task> {
    const { data, response } = await send(pending);
    return saw(data, response);
  }

  const get = (id: number) => one(raw.GET('/api/tasks/{id}', { params: { path: { id } } }));

  /** A change sent with If-Match; on 412 the current task is fetched (one GET) and thrown with it. */
  async function change<T>(id: number, write: (header: { 'if-match'?: string }) => Promise<T>): Promise<T> {
    const tag = versions.get(id);
    try {
      return await write(tag ? { 'if-match': tag } : {});
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) throw new TaskConflictError(error, await get(id));
      if (error instanceof ApiError && error.status === 404) versions.delete(id);
      throw error;
    }
  }

  return {
    /** One page, newest first by default; pass `nextCursor` back as `cursor` for the next. */
    async list(query: TaskQuery = {}): Promise<TaskPage> {
      const { data } = await send(raw.GET('/api/tasks', { params: { query } }));
      for (const task of data.items) saw(task);
      return data;
    },

    get,

    /** Retried after no answer or 503 with the same Idempotency-Key: created once whatever happens. */
    create(task: NewTask): Promise<Task> {
      const key = crypto.randomUUID();
      return retrying(retry, () =>
        one(raw.POST('/api/tasks', { params: { header: { 'idempotency-key': key } }, body: task })),
      );
    },

    update: (id: number, changes: TaskChanges) =>
      change(id, (header) => one(raw.PATCH('/api/tasks/{id}', { params: { path: { id }, header }, body: changes }))),

    replace: (id: number, task: TaskReplacement) =>
      change(id, (header) => one(raw.PUT('/api/tasks/{id}', { params: { path: { id }, header }, body: task }))),

    /** Flips `completed` (atomically, on the API). */
    complete: (id: number) =>
      change(id, (header) => one(raw.PATCH('/api/tasks/{id}/complete', { params: { path: { id }, header } }))),

    async remove(id: number): Promise<void> {
      await change(id, (header) => send(raw.DELETE('/api/tasks/{id}', { params: { path: { id }, header } })));
      versions.delete(id);
    },

    /** The changes numbered after `since` (docs/API.md, Changes); 410 ApiError when they are forgotten. */
    async changes(since = 0, limit?: number): Promise<ChangePage> {
      return (await send(raw.GET('/api/tasks/changes', { params: { query: { since, limit } } }))).data;
    },

    /**
     * Calls `onChange` with every change of the user's tasks, in order and once each, live (live.ts):
     * first those after `options.since` (all tasks by default), then each as it commits. Answers the
     * function that stops it.
     */
    subscribe: (onChange: (change: TaskChange) => void, options?: SubscribeOptions) =>
      subscribe(raw, baseUrl, onAuth, onChange, options),

    /** The entity tag this client would send in If-Match for the task, if it has seen one. */
    version: (id: number): string | undefined => versions.get(id),
  };
}
