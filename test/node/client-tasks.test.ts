// The client package's task calls, unit-tested against a small local HTTP fake of the API
// (test/support/client-fake-api.ts): a 503 and a dropped answer on demand, and list items that carry
// `version`, which the real API does not send yet. The same calls against the real Worker (a lost answer
// included, and a real 412): client-api.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, createTaskApi, TaskConflictError } from '../../client/src/index.ts';
import { type Answer, type FakeApi, fakeSession, problem, startFakeApi } from '../support/client-fake-api.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let fake: FakeApi | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const task = (id: number, title: string, extra: Record<string, unknown> = {}) => ({
  id,
  title,
  description: null,
  completed: false,
  createdAt: '2026-02-04T10:11:12.345Z',
  updatedAt: '2026-02-04T10:11:12.345Z',
  ...extra,
});

/** A signed-in client of a fake whose task routes answer `answers` in turn (sign-in answered apart). */
async function clientOf(answers: Answer[]) {
  fake = await startFakeApi(({ path }) =>
    path === '/api/auth/signin' ? { status: 200, body: fakeSession(1) } : (answers.shift() ?? problem(500, 'INTERNAL')),
  );
  const api = createTaskApi({ baseUrl: fake.url, storage: 'memory' });
  await api.auth.signIn({ email: 'ada@example.test', password: 'a password' });
  const sent = () => fake!.received.filter((request) => request.path.startsWith('/api/tasks'));
  return { api, sent };
}

describe('client task calls (against a local fake of the API)', () => {
  it('create retries after a 503 and after a dropped answer, with the same Idempotency-Key', async () => {
    const { api, sent } = await clientOf([
      problem(503, 'DATABASE_UNAVAILABLE', { 'Retry-After': '0' }),
      'reset',
      { status: 201, body: task(7, 'Buy milk'), headers: { ETag: '"1"' } },
    ]);
    const created = await api.tasks.create({ title: 'Buy milk' });
    expect(created.id).toBe(7);
    const keys = sent().map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(UUID);
    expect(new Set(keys).size).toBe(1);
    expect(sent().map((request) => request.body)).toEqual([
      { title: 'Buy milk' },
      { title: 'Buy milk' },
      { title: 'Buy milk' },
    ]);
    expect(api.tasks.version(7)).toBe('"1"');
  });

  it('two creates send two keys; a 4xx is not retried', async () => {
    const { api, sent } = await clientOf([{ status: 201, body: task(1, 'one') }, problem(400, 'VALIDATION_FAILED')]);
    await api.tasks.create({ title: 'one' });
    const error = await api.tasks.create({ title: '' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    const [first, second] = sent().map((request) => request.headers['idempotency-key']);
    expect(sent()).toHaveLength(2);
    expect(first).not.toBe(second);
  });

  it('the version of a listed task (its `version` field) is sent back as If-Match', async () => {
    const { api, sent } = await clientOf([
      { status: 200, body: { items: [task(3, 'listed', { version: 5 })], nextCursor: null } },
      { status: 200, body: task(3, 'renamed', { version: 6 }), headers: { ETag: '"6"' } },
      { status: 200, body: task(3, 'renamed', { completed: true, version: 7 }), headers: { ETag: '"7"' } },
    ]);
    await api.tasks.list();
    await api.tasks.update(3, { title: 'renamed' });
    await api.tasks.complete(3);
    expect(sent().map((request) => request.headers['if-match'])).toEqual([undefined, '"5"', '"6"']);
  });

  it('a 412 fetches the task once and rejects with TaskConflictError carrying it', async () => {
    const { api, sent } = await clientOf([
      { status: 200, body: task(4, 'mine'), headers: { ETag: '"2"' } },
      problem(412, 'PRECONDITION_FAILED'),
      { status: 200, body: task(4, 'theirs'), headers: { ETag: '"3"' } },
    ]);
    await api.tasks.get(4);
    const error = await api.tasks.remove(4).catch((caught) => caught);
    expect(error).toBeInstanceOf(TaskConflictError);
    expect(error).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED', task: { id: 4, title: 'theirs' } });
    expect(sent().map((request) => `${request.method} ${request.headers['if-match'] ?? '-'}`)).toEqual([
      'GET -',
      'DELETE "2"',
      'GET -',
    ]);
    // The next change starts from the version just fetched.
    expect(api.tasks.version(4)).toBe('"3"');
  });
});
