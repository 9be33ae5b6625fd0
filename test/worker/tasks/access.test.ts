// Object-level access (SECURITY D21–D24, B20): another user's task and a legacy task are
// indistinguishable from a missing one, on every route, and stay unchanged.
import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { api, queryDatabase } from '../support/api.ts';
import { bearer, bodyWithoutRequestId, deleteAccount, headersWithoutRequestId, signUp } from '../support/auth.ts';
import { newClient } from '../support/tasks.ts';

const ACTIONS: [string, (id: number) => string, unknown][] = [
  ['GET', (id) => `/api/tasks/${id}`, undefined],
  ['PATCH', (id) => `/api/tasks/${id}`, { title: 'stolen' }],
  ['PUT', (id) => `/api/tasks/${id}`, { title: 'stolen', description: 'x', completed: true }],
  ['PATCH', (id) => `/api/tasks/${id}/complete`, undefined],
  ['DELETE', (id) => `/api/tasks/${id}`, undefined],
];

async function rowOf(id: number) {
  const rows = await queryDatabase(
    'select id, title, description, completed, created_at::text, updated_at::text, user_id from tasks where id = $1',
    [id],
  );
  return rows[0];
}

describe('object-level access', () => {
  it('user B on A\u2019s task and on a legacy task: byte-identical 404 to a missing id, rows unchanged', async () => {
    const a = await newClient();
    const b = await newClient();
    const owned = await a.create({ title: 'A private', description: 'secret' });
    const [legacy] = await queryDatabase<{ id: number }>(
      `insert into tasks (title, description, completed, created_at, updated_at) values ('legacy', null, false, now(), now()) returning id`,
    );
    const [{ max }] = await queryDatabase<{ max: number }>('select max(id)::int as max from tasks');
    const missing = max + 1000;
    const ownedBefore = await rowOf(owned.id);
    const legacyBefore = await rowOf(legacy.id);

    for (const [method, path, body] of ACTIONS) {
      const reference = await b.request(method, path(missing), body);
      expect(reference.status).toBe(404);
      const referenceHeaders = headersWithoutRequestId(reference);
      const referenceBody = await bodyWithoutRequestId(reference);
      for (const [target, id] of [
        ['foreign', owned.id],
        ['legacy', legacy.id],
      ] as const) {
        const response = await b.request(method, path(id), body);
        expect(response.status, `${method} ${target}`).toBe(404);
        expect(headersWithoutRequestId(response), `${method} ${target}`).toEqual(referenceHeaders);
        expect(await bodyWithoutRequestId(response), `${method} ${target}`).toEqual(referenceBody);
      }
    }
    expect(await rowOf(owned.id)).toEqual(ownedBefore);
    expect(await rowOf(legacy.id)).toEqual(legacyBefore);
    // The owner still sees their task as it was.
    expect(await (await a.request('GET', `/api/tasks/${owned.id}`)).json()).toEqual(owned);
  });

  it('lists show only the caller\u2019s tasks; legacy tasks are in nobody\u2019s list', async () => {
    const a = await newClient();
    const b = await newClient();
    const aTasks = [await a.create({ title: 'a1' }), await a.create({ title: 'a2' })];
    const bTasks = [await b.create({ title: 'b1' })];
    await queryDatabase(`insert into tasks (title, created_at, updated_at) values ('legacy-in-list', now(), now())`);
    const aList = (await (await a.request('GET', '/api/tasks?limit=100')).json()) as { items: TaskDto[] };
    const bList = (await (await b.request('GET', '/api/tasks?limit=100')).json()) as { items: TaskDto[] };
    expect(aList.items.map((task) => task.id).sort()).toEqual(aTasks.map((task) => task.id).sort());
    expect(bList.items.map((task) => task.id)).toEqual(bTasks.map((task) => task.id));
  });

  it('a deleted user\u2019s unexpired token: 401 on every task route (never a 500 from the FK, never an empty list)', async () => {
    const a = await newClient();
    const task = await a.create();
    await queryDatabase('delete from users where id = $1', [a.userId]);
    const create = await a.request('POST', '/api/tasks', { title: 'ghost' });
    expect(create.status).toBe(401);
    expect(await create.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await queryDatabase(`select 1 from tasks where title = 'ghost' and user_id is null`)).toHaveLength(0);
    const list = await a.request('GET', '/api/tasks');
    expect(list.status).toBe(401);
    for (const [method, path, body] of ACTIONS) {
      expect((await a.request(method, path(task.id), body)).status).toBe(401);
    }
  });

  it('deleting the account while its token creates tasks: every create is 201 or 401, never 500; nothing is left', async () => {
    for (let round = 0; round < 3; round++) {
      const user = await signUp();
      const creates = Array.from({ length: 20 }, (_, i) =>
        api('/api/tasks', {
          method: 'POST',
          headers: { ...bearer(user.token), 'Content-Type': 'application/json' },
          body: JSON.stringify({ title: `race ${i}` }),
        }),
      );
      const deletion = deleteAccount(user, `10.99.${round}.1`);
      const statuses = (await Promise.all(creates)).map((response) => response.status);
      expect((await deletion).status).toBe(204);
      expect(
        statuses.every((status) => status === 201 || status === 401),
        statuses.join(','),
      ).toBe(true);
      expect(await queryDatabase('select 1 from tasks where user_id = $1', [user.userId])).toHaveLength(0);
    }
  });

  it('the token\u2019s sub is the only owner: a forged Authorization for another user cannot be built from a valid one', async () => {
    const a = await newClient();
    const task = await a.create();
    const response = await api(`/api/tasks/${task.id}`, { headers: { Authorization: `Bearer ${a.token}x` } });
    expect(response.status).toBe(401);
  });
});
