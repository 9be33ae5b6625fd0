// The owner filter cannot be dropped: by type (compile-time, checked by `npm run typecheck`) and at run time.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { toUserId, type UserId } from '../../../src/auth/user-id.ts';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/db/client.ts';
import {
  createTask,
  deleteTask,
  findTask,
  listTasks,
  ownerCondition,
  toggleTask,
  updateTask,
} from '../../../src/tasks/repository.ts';

describe('owner filter', () => {
  it('toUserId refuses anything but a UUID', () => {
    for (const bad of [undefined, null, '', 'abc', "' or 1=1", 42]) {
      expect(() => toUserId(bad as unknown as string)).toThrow(TypeError);
    }
    expect(toUserId('0b9e1f4e-5a0c-4a5e-9d57-4f1c2f0e8b11')).toBe('0b9e1f4e-5a0c-4a5e-9d57-4f1c2f0e8b11');
  });

  it('every repository function throws before querying when the owner is missing', async () => {
    const db = createDatabase(loadConfig(env as Bindings));
    const missing = { userId: undefined as unknown as UserId, sessionId: crypto.randomUUID() };
    await expect(listTasks(db, missing, { status: 'all', order: 'desc', limit: 20 })).rejects.toThrow(TypeError);
    await expect(findTask(db, missing, 1)).rejects.toThrow(TypeError);
    await expect(createTask(db, missing, { title: 'x', description: null, completed: false }, 100)).rejects.toThrow(
      TypeError,
    );
    await expect(updateTask(db, missing, 1, { title: 'x' })).rejects.toThrow(TypeError);
    await expect(toggleTask(db, missing, 1)).rejects.toThrow(TypeError);
    await expect(deleteTask(db, missing, 1)).rejects.toThrow(TypeError);
    expect(() => ownerCondition('not-a-uuid' as UserId)).toThrow(TypeError);
  });

  it('a plain string is not a UserId (type-level)', () => {
    const plain = { userId: '0b9e1f4e-5a0c-4a5e-9d57-4f1c2f0e8b11', sessionId: crypto.randomUUID() };
    // @ts-expect-error: a caller's user id is a UserId (from a verified token or toUserId()), not a string
    const call = () => findTask(undefined as never, plain, 1);
    expect(typeof call).toBe('function');
  });
});
