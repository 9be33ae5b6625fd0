// The Worker's side of live updates: calls to the user's Durable Object, made after the response
// (waitUntil), never on its path. A call that fails is logged and dropped: the write has committed
// anyway, and a client that sees a number skip fills the gap from GET /api/tasks/changes.
import type { Caller } from '../auth/caller.ts';
import type { Bindings } from '../bindings.ts';
import type { TaskRow } from '../db/schema.ts';
import { logEvent } from '../lib/log.ts';
import type { NumberedChange } from '../tasks/changes.ts';
import { toTaskDto } from '../tasks/schemas.ts';
import type { LiveChange, LiveTasks } from './object.ts';

interface LiveContext {
  env: Bindings;
  executionCtx: { waitUntil(promise: Promise<unknown>): void };
  get(key: 'requestId'): string;
}

/** The user's Durable Object (one per user, named by the user id). */
export function liveObjectOf(env: Bindings, userId: string): DurableObjectStub<LiveTasks> {
  const namespace = env.LIVE as DurableObjectNamespace<LiveTasks>;
  return namespace.get(namespace.idFromName(userId));
}

function callLive(c: LiveContext, userId: string, call: (live: DurableObjectStub<LiveTasks>) => Promise<unknown>) {
  const work = async () => {
    await call(liveObjectOf(c.env, userId));
  };
  c.executionCtx.waitUntil(
    work().catch((error) =>
      logEvent('warn', { event: 'live_notify_failed', requestId: c.get('requestId'), error: String(error) }),
    ),
  );
}

/** The task as written, or the id of the one deleted. */
type WrittenTask = { task: TaskRow } | { deleted: { id: number } };

/**
 * A committed write of the caller's tasks, for the caller's live sockets: only when its statement found
 * that the user may have one open (`watched`, from the live tickets); otherwise there is nobody to tell,
 * and the event is not even built.
 */
export function publishChange(
  c: LiveContext & { get(key: 'caller'): Caller },
  { seq, watched }: NumberedChange,
  written: WrittenTask,
): void {
  if (!watched) return;
  const change: LiveChange = 'task' in written ? { seq, task: toTaskDto(written.task) } : { seq, ...written };
  callLive(c, c.get('caller').userId, (live) => live.change(change));
}

/** A session of the user (or, without an id, every session) has ended: its sockets close with 4401. */
export function endLiveSessions(c: LiveContext, userId: string, sessionId?: string): void {
  callLive(c, userId, (live) => live.end(sessionId));
}
