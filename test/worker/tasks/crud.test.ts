// Task CRUD through the Worker (API Tasks section; SECURITY D23, D25, E26–E31).
import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { api, queryDatabase } from '../support/api.ts';
import { newClient } from '../support/tasks.ts';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('happy paths', () => {
  it('POST creates: 201, Location, trimmed title, defaults, ISO times; GET returns it', async () => {
    const client = await newClient();
    const response = await client.request('POST', '/api/tasks', { title: '  Buy milk  ' });
    expect(response.status).toBe(201);
    const task = (await response.json()) as TaskDto;
    expect(task).toEqual({
      id: expect.any(Number),
      title: 'Buy milk',
      description: null,
      completed: false,
      version: 1,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
    expect(response.headers.get('ETag')).toBe('"1"');
    expect(response.headers.get('Location')).toBe(`/api/tasks/${task.id}`);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const fetched = await client.request('GET', `/api/tasks/${task.id}`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(task);
    const [row] = await queryDatabase<{ user_id: string }>('select user_id from tasks where id = $1', [task.id]);
    expect(row.user_id).toBe(client.userId);
  });

  it('PATCH changes only the sent fields and moves updatedAt; PUT replaces all', async () => {
    const client = await newClient();
    const task = await client.create({ title: 'original', description: 'keep me', completed: false });
    await sleep(5);
    const patched = await client.request('PATCH', `/api/tasks/${task.id}`, { completed: true });
    expect(patched.status).toBe(200);
    const afterPatch = (await patched.json()) as TaskDto;
    expect(afterPatch).toMatchObject({
      title: 'original',
      description: 'keep me',
      completed: true,
      createdAt: task.createdAt,
    });
    expect(Date.parse(afterPatch.updatedAt)).toBeGreaterThan(Date.parse(task.updatedAt));

    const put = await client.request('PUT', `/api/tasks/${task.id}`, {
      title: 'replaced',
      description: null,
      completed: false,
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ title: 'replaced', description: null, completed: false });
    const incompletePut = await client.request('PUT', `/api/tasks/${task.id}`, { title: 'only title' });
    expect(incompletePut.status).toBe(400);
  });

  it('PATCH …/complete toggles atomically, ignoring any body', async () => {
    const client = await newClient();
    const task = await client.create();
    const first = await client.request('PATCH', `/api/tasks/${task.id}/complete`, {
      completed: false,
      title: 'ignored',
    });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ completed: true, title: 'a task' });
    const second = await client.request('PATCH', `/api/tasks/${task.id}/complete`, undefined, {
      'Content-Type': 'text/plain',
    });
    expect(((await second.json()) as TaskDto).completed).toBe(false);
    // 20 concurrent toggles: an even number leaves it as it was (no lost update).
    await Promise.all(Array.from({ length: 20 }, () => client.request('PATCH', `/api/tasks/${task.id}/complete`)));
    expect(((await (await client.request('GET', `/api/tasks/${task.id}`)).json()) as TaskDto).completed).toBe(false);
  });

  it('DELETE → 204, then GET and a second DELETE → 404', async () => {
    const client = await newClient();
    const task = await client.create();
    const deleted = await client.request('DELETE', `/api/tasks/${task.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await client.request('GET', `/api/tasks/${task.id}`)).status).toBe(404);
    expect((await client.request('DELETE', `/api/tasks/${task.id}`)).status).toBe(404);
  });

  it('SQL-looking input is stored and returned verbatim', async () => {
    const client = await newClient();
    const title = "'); DROP TABLE tasks;--";
    const task = await client.create({ title, description: "' OR '1'='1" });
    expect(task.title).toBe(title);
    expect(((await (await client.request('GET', `/api/tasks/${task.id}`)).json()) as TaskDto).description).toBe(
      "' OR '1'='1",
    );
    expect(await queryDatabase('select title from tasks where id = $1', [task.id])).toEqual([{ title }]);
  });
});

describe('validation', () => {
  it.each(['userId', 'id', 'createdAt', 'updatedAt', 'user_id', 'owner'])(
    'a body with %s → 400 on POST, PATCH and PUT (owner is the token\u2019s sub)',
    async (field) => {
      const client = await newClient();
      const response = await client.request('POST', '/api/tasks', {
        title: 'x',
        [field]: field === 'id' ? 1 : 'value',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ message: expect.any(String) })],
      });
      // Nor on the two routes that change a task: refused, and the task stays as it was.
      const task = await client.create();
      const stored = () => queryDatabase('select * from tasks where id = $1', [task.id]);
      const before = await stored();
      expect((await client.request('PATCH', `/api/tasks/${task.id}`, { [field]: 'x' })).status).toBe(400);
      const replacement = { title: 'replaced', description: null, completed: true, [field]: 'x' };
      expect((await client.request('PUT', `/api/tasks/${task.id}`, replacement)).status).toBe(400);
      expect(await stored()).toEqual(before);
    },
  );

  it.each([
    ['empty title', { title: '' }],
    ['whitespace title', { title: '   ' }],
    ['201-char title', { title: 'x'.repeat(201) }],
    ['1001-char description', { title: 'ok', description: 'd'.repeat(1001) }],
    ['201-emoji title', { title: '\u{1F95B}'.repeat(201) }],
    ['1001-emoji description', { title: 'ok', description: '\u{1F95B}'.repeat(1001) }],
    ['non-boolean completed', { title: 'ok', completed: 'yes' }],
    ['non-string title', { title: 42 }],
    ['missing title', { description: 'no title' }],
  ])('%s → 400 with the field named', async (_name, body) => {
    const client = await newClient();
    const response = await client.request('POST', '/api/tasks', body);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors.length).toBeGreaterThan(0);
  });

  it('200-char title and 1000-char description are accepted; empty PATCH is 400', async () => {
    const client = await newClient();
    const task = await client.create({ title: 't'.repeat(200), description: 'd'.repeat(1000) });
    expect(task.title).toHaveLength(200);
    expect((await client.request('PATCH', `/api/tasks/${task.id}`, {})).status).toBe(400);
  });

  it('lengths count characters, not UTF-16 units: 200 emoji (400 units) are a title, stored whole', async () => {
    const client = await newClient();
    const [title, description] = ['\u{1F95B}'.repeat(200), '\u{1F95B}'.repeat(1000)];
    const task = await client.create({ title, description });
    expect(task).toMatchObject({ title, description });
    expect(
      await queryDatabase('select char_length(title) as t, char_length(description) as d from tasks where id = $1', [
        task.id,
      ]),
    ).toEqual([{ t: 200, d: 1000 }]);
  });

  it('malformed JSON → 400; text/plain → 415', async () => {
    const client = await newClient();
    const malformed = await api('/api/tasks', {
      method: 'POST',
      headers: { Authorization: `Bearer ${client.token}`, 'Content-Type': 'application/json' },
      body: '{"title": "x",',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const plain = await api('/api/tasks', {
      method: 'POST',
      headers: { Authorization: `Bearer ${client.token}`, 'Content-Type': 'text/plain' },
      body: '{"title": "x"}',
    });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it.each(['abc', '0', '-1', '1.5', '9007199254740992', '99999999999999999', '1e3', '%20'])(
    'task id %j → 400, never a 500 from Postgres',
    async (id) => {
      const client = await newClient();
      for (const [method, path, body] of [
        ['GET', `/api/tasks/${id}`],
        ['PATCH', `/api/tasks/${id}`, { title: 'x' }],
        ['PUT', `/api/tasks/${id}`, { title: 'x', description: null, completed: false }],
        ['PATCH', `/api/tasks/${id}/complete`],
        ['DELETE', `/api/tasks/${id}`],
      ] as const) {
        const response = await client.request(method, path, body);
        expect(response.status, `${method} ${path}`).toBe(400);
      }
    },
  );

  it('ids are 64-bit: past 2^31 and up to 2^53 - 1 is valid input (404, not 400)', async () => {
    const client = await newClient();
    for (const id of ['2147483648', '9007199254740991']) {
      for (const [method, path] of [
        ['GET', `/api/tasks/${id}`],
        ['PATCH', `/api/tasks/${id}/complete`],
        ['DELETE', `/api/tasks/${id}`],
      ] as const) {
        expect((await client.request(method, path)).status, `${method} ${path}`).toBe(404);
      }
    }
  });
});

describe('resource limits and methods', () => {
  it('a body over 64 KiB → 413, with Content-Length and chunked without it', async () => {
    const client = await newClient();
    const big = JSON.stringify({ title: 'x', description: 'd'.repeat(70 * 1024) });
    const declared = await client.request('POST', '/api/tasks', JSON.parse(big));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

    const bytes = new TextEncoder().encode(big);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 8192)
          controller.enqueue(bytes.slice(offset, offset + 8192));
        controller.close();
      },
    });
    const init: RequestInit = {
      method: 'POST',
      headers: { Authorization: `Bearer ${client.token}`, 'Content-Type': 'application/json' },
      body: chunked,
      // @ts-expect-error: duplex is required for streamed request bodies
      duplex: 'half',
    };
    // The premise: a streamed body declares no length, so only counting the bytes can stop it.
    const probe = new Request('http://x/', { ...init, body: new ReadableStream() });
    expect(probe.headers.get('Content-Length')).toBeNull();
    const response = await api('/api/tasks', init);
    expect(response.status).toBe(413);
    expect(await queryDatabase('select 1 from tasks where user_id = $1', [client.userId])).toHaveLength(0);
  });

  it('wrong method on a known path → 405 with Allow', async () => {
    const client = await newClient();
    for (const [method, path] of [
      ['POST', '/api/tasks/1'],
      ['DELETE', '/api/tasks'],
      ['GET', '/api/tasks/1/complete'],
      ['PUT', '/api/auth/signin'],
    ]) {
      const response = await client.request(method, path);
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('Allow')).toBeTruthy();
    }
  });

  it('every route but signup, signin, health → 401 without a token', async () => {
    for (const [method, path] of [
      ['GET', '/api/tasks'],
      ['POST', '/api/tasks'],
      ['GET', '/api/tasks/1'],
      ['PATCH', '/api/tasks/1'],
      ['PUT', '/api/tasks/1'],
      ['PATCH', '/api/tasks/1/complete'],
      ['DELETE', '/api/tasks/1'],
      ['GET', '/api/auth/me'],
      ['DELETE', '/api/auth/me'],
      ['POST', '/api/auth/password'],
    ]) {
      const response = await api(path, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});
