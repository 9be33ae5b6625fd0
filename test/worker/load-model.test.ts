// Load with a model: virtual users concurrently create, update, toggle and delete their own tasks for
// a bounded time, each checking every response against its own model of what it owns. Afterwards
// each user's list equals their model exactly, nobody ever saw another's task, and there was no 5xx.
// Size: LOAD_USERS and LOAD_SECONDS in the environment of `npm test` (defaults 8 users, 4 s).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../src/tasks/schemas.ts';
import { type Client, newClient } from './support/tasks.ts';

const USERS = Number((env as Record<string, string>).LOAD_USERS ?? 8);
const SECONDS = Number((env as Record<string, string>).LOAD_SECONDS ?? 4);

interface Modelled {
  title: string;
  description: string | null;
  completed: boolean;
}

async function listAll(client: Client): Promise<TaskDto[]> {
  const items: TaskDto[] = [];
  let cursor: string | null = null;
  do {
    const response = await client.request(
      'GET',
      `/api/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: TaskDto[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

async function virtualUser(client: Client, deadline: number, statuses: number[]) {
  const model = new Map<number, Modelled>();
  let step = 0;
  const pick = () => [...model.keys()][Math.floor(Math.random() * model.size)];
  const check = async (response: Response, expected: number) => {
    statuses.push(response.status);
    expect(response.status).toBe(expected);
    return response.status === 204 ? null : ((await response.json()) as TaskDto);
  };
  while (Date.now() < deadline) {
    step += 1;
    const roll = Math.random();
    const id = pick();
    if (model.size === 0 || roll < 0.35) {
      const fields = { title: `u${client.userId.slice(0, 4)} #${step}`, description: step % 3 ? `d${step}` : null };
      const task = await check(
        await client.request('POST', '/api/tasks', fields, { 'Idempotency-Key': `${client.userId}-${step}` }),
        201,
      );
      model.set((task as TaskDto).id, { ...fields, completed: false });
    } else if (roll < 0.55) {
      const title = `renamed ${step}`;
      const task = await check(await client.request('PATCH', `/api/tasks/${id}`, { title }), 200);
      model.set(id, { ...(model.get(id) as Modelled), title });
      expect(task).toMatchObject(model.get(id) as Modelled);
    } else if (roll < 0.75) {
      const task = await check(await client.request('PATCH', `/api/tasks/${id}/complete`), 200);
      const current = model.get(id) as Modelled;
      model.set(id, { ...current, completed: !current.completed });
      expect(task?.completed).toBe(!current.completed);
    } else if (roll < 0.9) {
      await check(await client.request('DELETE', `/api/tasks/${id}`), 204);
      model.delete(id);
    } else {
      const task = await check(await client.request('GET', `/api/tasks/${id}`), 200);
      expect(task).toMatchObject(model.get(id) as Modelled);
    }
  }
  return model;
}

describe('load with a model', () => {
  it(`${USERS} users for ${SECONDS}s: every list equals its model, no cross-user visibility, zero 5xx`, async () => {
    const clients = await Promise.all(Array.from({ length: USERS }, () => newClient()));
    const deadline = Date.now() + SECONDS * 1000;
    const statuses: number[] = [];
    const models = await Promise.all(clients.map((client) => virtualUser(client, deadline, statuses)));

    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(USERS * 5);
    for (const [index, client] of clients.entries()) {
      const listed = await listAll(client);
      const expected = [...models[index].entries()].map(([id, task]) => ({ id, ...task })).sort((a, b) => a.id - b.id);
      const actual = listed
        .map(({ id, title, description, completed }) => ({ id, title, description, completed }))
        .sort((a, b) => a.id - b.id);
      expect(actual).toEqual(expected);
    }
  }, 120_000);
});
