// Property-based: fast-check generates request sequences for two users (create, PATCH with and without
// If-Match, a stale If-Match, PUT, toggle, DELETE, reads of the other user's tasks, list walks) and runs
// them against the real API, checking each response against an in-memory model: no 5xx, every body
// valid against its zod response schema, versions and ETags as modelled, lists equal to the model, and
// the other user's data untouched. fast-check shrinks a failing sequence to a minimal one. The counts
// (sequences, requests) are a test annotation and a console line: `vitest run --project worker
// test/worker/tasks/properties.test.ts --reporter=verbose` shows them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Problem } from '../../../src/http/openapi.ts';
import { Task, type TaskDto, TaskPage } from '../../../src/tasks/schemas.ts';
import { type Client, newClient } from '../support/tasks.ts';

interface Modelled {
  title: string;
  description: string | null;
  completed: boolean;
  version: number;
}
type Model = Map<number, Modelled>;

// Valid text (some of it far from ASCII) and text the API must refuse with 400.
const validTitle = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }).filter((text) => text.trim().length > 0),
  fc.constantFrom('日本語', 'Tâche ✓', '🧪 test', 'a\u200fb', "' OR 1=1; --", '  padded  '),
);
const invalidTitle = fc.constantFrom('', '   ', 'a\u0000b', 'tab\there', 'x\u202ey', '\ud800', 'y'.repeat(201));
const description = fc.oneof(fc.constant(null), fc.string({ maxLength: 40 }), fc.constant('line\r\nnext\tcol'));

const index = fc.nat({ max: 1000 });
const action = fc.oneof(
  // Creates are weighted up so that most steps have tasks to work on.
  { arbitrary: fc.record({ kind: fc.constant('create' as const), title: validTitle, description }), weight: 4 },
  fc.record({ kind: fc.constant('create-invalid' as const), title: invalidTitle }),
  fc.record({ kind: fc.constant('patch' as const), index, title: validTitle, withIfMatch: fc.boolean() }),
  fc.record({ kind: fc.constant('patch-stale' as const), index, title: validTitle }),
  fc.record({ kind: fc.constant('put' as const), index, title: validTitle, description, completed: fc.boolean() }),
  fc.record({ kind: fc.constant('toggle' as const), index, withIfMatch: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), index, withIfMatch: fc.boolean() }),
  fc.record({ kind: fc.constant('foreign' as const), index, method: fc.constantFrom('GET', 'PATCH', 'DELETE') }),
  fc.record({
    kind: fc.constant('list' as const),
    limit: fc.integer({ min: 1, max: 5 }),
    order: fc.constantFrom('asc', 'desc'),
  }),
);
const step = fc.record({ user: fc.constantFrom(0, 1), action });
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

let requests = 0;
let sequences = 0;

async function send(client: Client, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  requests += 1;
  const response = await client.request(method, path, body, headers);
  expect(response.status, `${method} ${path}`).toBeLessThan(500);
  return response;
}

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  Problem.parse(await response.json());
}

async function task(response: Response, status: number, expected: Modelled & { id: number }) {
  expect(response.status).toBe(status);
  const body = Task.parse(await response.json());
  expect(body).toMatchObject({
    id: expected.id,
    title: expected.title,
    description: expected.description,
    completed: expected.completed,
  });
  expect(response.headers.get('ETag')).toBe(`"${expected.version}"`);
  return body;
}

function pick(model: Model, at: number): [number, Modelled] | undefined {
  const entries = [...model.entries()];
  return entries.length === 0 ? undefined : entries[at % entries.length];
}

async function listAll(client: Client, limit: number, order: string): Promise<TaskDto[]> {
  const items: TaskDto[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${limit}&order=${order}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await send(client, 'GET', `/api/tasks${query}`);
    expect(response.status).toBe(200);
    const page = TaskPage.parse(await response.json());
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

async function expectListEqualsModel(client: Client, model: Model, limit = 4, order = 'desc') {
  const items = await listAll(client, limit, order);
  expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
  const listed = items
    .map(({ id, title, description, completed }) => ({ id, title, description, completed }))
    .sort((a, b) => a.id - b.id);
  const modelled = [...model.entries()]
    .map(([id, { title, description, completed }]) => ({ id, title, description, completed }))
    .sort((a, b) => a.id - b.id);
  expect(listed).toEqual(modelled);
}

async function run(clients: Client[], models: Model[], steps: Step[]) {
  for (const { user, action: a } of steps) {
    const client = clients[user];
    const model = models[user];
    const other = models[1 - user];
    const picked = 'index' in a ? pick(a.kind === 'foreign' ? other : model, a.index) : undefined;
    switch (a.kind) {
      case 'create': {
        const response = await send(client, 'POST', '/api/tasks', { title: a.title, description: a.description });
        const expected = { title: a.title.trim(), description: a.description, completed: false, version: 1 };
        const body = Task.parse(await response.clone().json());
        await task(response, 201, { ...expected, id: body.id });
        model.set(body.id, expected);
        break;
      }
      case 'create-invalid':
        await problem(await send(client, 'POST', '/api/tasks', { title: a.title }), 400);
        break;
      case 'patch':
      case 'patch-stale': {
        if (!picked) break;
        const [id, current] = picked;
        const stale = a.kind === 'patch-stale';
        const headers = stale
          ? { 'If-Match': `"${current.version + 1}"` }
          : a.withIfMatch
            ? { 'If-Match': `"${current.version}"` }
            : undefined;
        const response = await send(client, 'PATCH', `/api/tasks/${id}`, { title: a.title }, headers);
        if (stale) {
          await problem(response, 412);
          break;
        }
        const next = { ...current, title: a.title.trim(), version: current.version + 1 };
        await task(response, 200, { ...next, id });
        model.set(id, next);
        break;
      }
      case 'put': {
        if (!picked) break;
        const [id, current] = picked;
        const body = { title: a.title, description: a.description, completed: a.completed };
        const response = await send(client, 'PUT', `/api/tasks/${id}`, body);
        const next = {
          title: a.title.trim(),
          description: a.description,
          completed: a.completed,
          version: current.version + 1,
        };
        await task(response, 200, { ...next, id });
        model.set(id, next);
        break;
      }
      case 'toggle': {
        if (!picked) break;
        const [id, current] = picked;
        const headers = a.withIfMatch ? { 'If-Match': `"${current.version}"` } : undefined;
        const response = await send(client, 'PATCH', `/api/tasks/${id}/complete`, undefined, headers);
        const next = { ...current, completed: !current.completed, version: current.version + 1 };
        await task(response, 200, { ...next, id });
        model.set(id, next);
        break;
      }
      case 'delete': {
        if (!picked) break;
        const [id, current] = picked;
        const headers = a.withIfMatch ? { 'If-Match': `"${current.version}"` } : undefined;
        const response = await send(client, 'DELETE', `/api/tasks/${id}`, undefined, headers);
        expect(response.status).toBe(204);
        model.delete(id);
        await problem(await send(client, 'GET', `/api/tasks/${id}`), 404);
        break;
      }
      case 'foreign': {
        if (!picked) break;
        const [id] = picked;
        const body = a.method === 'PATCH' ? { title: 'not yours' } : undefined;
        await problem(await send(client, a.method, `/api/tasks/${id}`, body, { 'If-Match': '*' }), 404);
        break;
      }
      case 'list':
        await expectListEqualsModel(client, model, a.limit, a.order);
        break;
    }
  }
}

describe('request sequences against an in-memory model (fast-check)', () => {
  it('no 5xx, valid bodies, lists equal the model, the other user untouched', async ({ annotate }) => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30, size: 'max' }), async (steps) => {
        sequences += 1;
        const clients = [await newClient(), await newClient()];
        const models: Model[] = [new Map(), new Map()];
        await run(clients, models, steps);
        for (const [user, client] of clients.entries()) await expectListEqualsModel(client, models[user]);
      }),
      // At most 40 sequences, and never more than 15 s of them (a slow, shared machine runs fewer).
      { numRuns: 40, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
    );
    const summary = `fast-check: ${sequences} sequences, ${requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`;
    console.log(summary);
    await annotate(summary);
    expect(sequences).toBeGreaterThan(0);
  }, 60_000);
});
