// Nothing lost under races (SECURITY G36–G37).
import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
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
