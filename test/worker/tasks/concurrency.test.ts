// Nothing lost under races (SECURITY G36–G37), and no race reaches a constraint as a 500.
//
// The constraints a concurrent request can hit, and what each becomes (see also access.test.ts and
// idempotency.test.ts):
// - fk_tasks_user_id (create vs account deletion) → 401, tested in access.test.ts;
// - fk_idempotency_keys_user_id / fk_tasks_user_id on an Idempotency-Key create vs account deletion → 401;
// - fk_user_change_counters_user_id / fk_task_changes_user_id (numbering the create's change) → 401, the
//   same way (ACCOUNT_GONE_CONSTRAINTS; the last test checks each name is a foreign key of the schema);
// - pk_idempotency_keys (two creates with one new key) → ON CONFLICT, both 201 with one task, tested in
//   idempotency.test.ts;
// - tasks_pkey: ids come from the sequence only, so no request can collide;
// - updates and deletes change no key or reference: their races are 404 / 412 (versions.test.ts), and a
//   task DELETE vs the account's cascade lock tasks before idempotency_keys in the same order (no deadlock).
import { describe, expect, it } from 'vitest';
import { ACCOUNT_GONE_CONSTRAINTS } from '../../../src/tasks/repository.ts';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { api, queryDatabase } from '../support/api.ts';
import { bearer, deleteAccount, signUp } from '../support/auth.ts';
import { newClient } from '../support/tasks.ts';

describe('concurrent changes', () => {
  it('two PATCHes of different fields racing: both changes are kept (20 rounds)', async () => {
    const client = await newClient();
    for (let round = 0; round < 20; round++) {
      const task = await client.create({ title: 'race', description: 'before' });
      const [a, b] = await Promise.all([
        client.request('PATCH', `/api/tasks/${task.id}`, { title: `title ${round}` }),
        client.request('PATCH', `/api/tasks/${task.id}`, { description: `description ${round}` }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const final = (await (await client.request('GET', `/api/tasks/${task.id}`)).json()) as TaskDto;
      expect(final).toMatchObject({ title: `title ${round}`, description: `description ${round}` });
    }
  });

  it('a PATCH racing a DELETE: the task stays gone; a PATCH after the delete is 404 (20 rounds)', async () => {
    const client = await newClient();
    for (let round = 0; round < 20; round++) {
      const task = await client.create();
      const [deleted, patched] = await Promise.all([
        client.request('DELETE', `/api/tasks/${task.id}`),
        client.request('PATCH', `/api/tasks/${task.id}`, { title: 'resurrect?' }),
      ]);
      expect(deleted.status).toBe(204);
      expect([200, 404]).toContain(patched.status);
      expect((await client.request('GET', `/api/tasks/${task.id}`)).status).toBe(404);
      const late = await client.request('PATCH', `/api/tasks/${task.id}`, { title: 'too late' });
      expect(late.status).toBe(404);
      expect(await late.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});

describe('races with the account being deleted (foreign keys)', () => {
  it('Idempotency-Key creates (new keys and one shared key) vs account deletion: 201 or 401, never 500; nothing left', async () => {
    for (let round = 0; round < 3; round++) {
      const user = await signUp();
      const creates = Array.from({ length: 16 }, (_, i) =>
        api('/api/tasks', {
          method: 'POST',
          headers: {
            ...bearer(user.token),
            'Content-Type': 'application/json',
            'Idempotency-Key': i % 2 === 0 ? `shared-${round}` : `key-${round}-${i}`,
          },
          body: JSON.stringify({ title: 'race' }),
        }),
      );
      const deletion = deleteAccount(user, `10.98.${round}.1`);
      const statuses = (await Promise.all(creates)).map((response) => response.status);
      expect((await deletion).status).toBe(204);
      expect(
        statuses.every((status) => status === 201 || status === 401),
        statuses.join(','),
      ).toBe(true);
      expect(await queryDatabase('select 1 from tasks where user_id = $1', [user.userId])).toHaveLength(0);
      expect(await queryDatabase('select 1 from idempotency_keys where user_id = $1', [user.userId])).toHaveLength(0);
    }
  });

  it('PATCH with If-Match, toggle and DELETE (which also deletes idempotency records) vs account deletion: never 500', async () => {
    for (let round = 0; round < 3; round++) {
      const user = await signUp();
      const headers = { ...bearer(user.token), 'Content-Type': 'application/json' };
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) {
        const created = await api('/api/tasks', {
          method: 'POST',
          headers: { ...headers, 'Idempotency-Key': `k-${i}` },
          body: JSON.stringify({ title: `t${i}` }),
        });
        ids.push(((await created.json()) as TaskDto).id);
      }
      const writes = ids.flatMap((id) => [
        api(`/api/tasks/${id}`, { method: 'PATCH', headers: { ...headers, 'If-Match': '"1"' }, body: '{"title":"x"}' }),
        api(`/api/tasks/${id}/complete`, { method: 'PATCH', headers: bearer(user.token) }),
        api(`/api/tasks/${id}`, { method: 'DELETE', headers: bearer(user.token) }),
      ]);
      const deletion = deleteAccount(user, `10.97.${round}.1`);
      const statuses = (await Promise.all(writes)).map((response) => response.status);
      expect((await deletion).status).toBe(204);
      expect(
        statuses.every((status) => [200, 204, 401, 404, 412].includes(status)),
        statuses.join(','),
      ).toBe(true);
    }
  });

  it('the foreign keys a create maps to "session ended" are foreign keys of the schema (a renamed one would be a 500 again)', async () => {
    const names = [...ACCOUNT_GONE_CONSTRAINTS];
    const found = await queryDatabase<{ conname: string }>(
      `select conname from pg_constraint where contype = 'f' and conname = any($1) order by conname`,
      [names],
    );
    expect(found.map((row) => row.conname)).toEqual(names.sort());
  });
});
