// Task versions: ETag on every Task response, If-Match on every write (API "Versions", SECURITY 48).

import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { api, countingStatements, queryDatabase } from '../support/api.ts';
import { bearer } from '../support/auth.ts';
import { OPENAPI_DOCUMENT } from '../support/openapi-document.ts';
import { newClient } from '../support/tasks.ts';

const json = { 'Content-Type': 'application/json' };

describe('ETag', () => {
  it('every Task response carries "<version>"; each change moves it, a read does not', async () => {
    const client = await newClient();
    const created = await client.request('POST', '/api/tasks', { title: 'v' });
    expect(created.headers.get('ETag')).toBe('"1"');
    const { id } = (await created.json()) as TaskDto;
    expect((await client.request('GET', `/api/tasks/${id}`)).headers.get('ETag')).toBe('"1"');
    expect((await client.request('PATCH', `/api/tasks/${id}`, { title: 'w' })).headers.get('ETag')).toBe('"2"');
    const put = await client.request('PUT', `/api/tasks/${id}`, { title: 'x', description: null, completed: false });
    expect(put.headers.get('ETag')).toBe('"3"');
    expect((await client.request('PATCH', `/api/tasks/${id}/complete`)).headers.get('ETag')).toBe('"4"');
    expect((await client.request('GET', `/api/tasks/${id}`)).headers.get('ETag')).toBe('"4"');
    expect((await client.request('GET', '/api/tasks')).headers.get('ETag')).toBeNull();
  });

  it('every Task body carries `version`, the number inside its ETag, list items included', async () => {
    const client = await newClient();
    const task = await client.create({ title: 'listed' });
    const patched = await client.request('PATCH', `/api/tasks/${task.id}`, { title: 'listed twice' });
    expect((await patched.json()) as TaskDto).toMatchObject({ version: 2 });
    expect(patched.headers.get('ETag')).toBe('"2"');
    const list = (await (await client.request('GET', '/api/tasks')).json()) as { items: TaskDto[] };
    expect(list.items.find((item) => item.id === task.id)?.version).toBe(2);
    // A guarded edit straight from the list: its version as If-Match wins, no GET needed.
    const edited = await client.request('PATCH', `/api/tasks/${task.id}`, { completed: true }, { 'If-Match': '"2"' });
    expect(edited.status).toBe(200);
  });
});

describe('If-Match', () => {
  const writes = [
    ['PATCH', '', { title: 'patched' }],
    ['PUT', '', { title: 'put', description: 'd', completed: true }],
    ['PATCH', '/complete', undefined],
    ['DELETE', '', undefined],
  ] as const;

  for (const [method, suffix, body] of writes) {
    it(`${method} …${suffix}: the current version → success; an old one → 412 and nothing changes`, async () => {
      const client = await newClient();
      const task = await client.create({ title: 'original' });
      await client.request('PATCH', `/api/tasks/${task.id}`, { description: 'moved to version 2' });
      const before = await queryDatabase('select * from tasks where id = $1', [task.id]);

      const stale = await client.request(method, `/api/tasks/${task.id}${suffix}`, body, { 'If-Match': '"1"' });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await stale.json()).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
      expect(await queryDatabase('select * from tasks where id = $1', [task.id])).toEqual(before);

      const current = await client.request(method, `/api/tasks/${task.id}${suffix}`, body, {
        'If-Match': '"7", "2"',
      });
      expect(current.status).toBe(method === 'DELETE' ? 204 : 200);
      if (method !== 'DELETE') expect(current.headers.get('ETag')).toBe('"3"');
    });
  }

  it('`*` matches any existing task; weak and foreign-looking tags never match; a missing task is 404 regardless', async () => {
    const client = await newClient();
    const task = await client.create();
    expect((await client.request('PATCH', `/api/tasks/${task.id}`, { title: 'a' }, { 'If-Match': '*' })).status).toBe(
      200,
    );
    for (const tag of ['W/"2"', '"abc"', '""', '"99999999999"']) {
      const response = await client.request('PATCH', `/api/tasks/${task.id}`, { title: 'b' }, { 'If-Match': tag });
      expect(response.status, tag).toBe(412);
    }
    const other = await newClient();
    for (const path of [`/api/tasks/${task.id}`, '/api/tasks/2147483647']) {
      const response = await other.request('PATCH', path, { title: 'c' }, { 'If-Match': '"2"' });
      expect(response.status).toBe(404);
      expect((await other.request('DELETE', path, undefined, { 'If-Match': '*' })).status).toBe(404);
    }
  });

  it('a malformed If-Match is 400 VALIDATION_FAILED, before anything is written', async () => {
    const client = await newClient();
    const task = await client.create();
    for (const value of ['2', '"2', 'W/2', '"2",', '"a b"', `"${'1'.repeat(1100)}"`]) {
      const response = await client.request('PATCH', `/api/tasks/${task.id}`, { title: 'x' }, { 'If-Match': value });
      expect(response.status, value).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect((await client.request('GET', `/api/tasks/${task.id}`)).headers.get('ETag')).toBe('"1"');
  });

  it('still one statement, telling 401 from 404 from 412 inside it', async () => {
    const client = await newClient();
    const task = await client.create();
    const headers = { ...bearer(client.token), ...json, 'If-Match': '"5"' };
    const stale = await countingStatements(`/api/tasks/${task.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ title: 'x' }),
    });
    expect(stale.response.status).toBe(412);
    expect(stale.statements).toBe(1);
    const missing = await countingStatements('/api/tasks/2147483000', { method: 'DELETE', headers });
    expect(missing.response.status).toBe(404);
    expect(missing.statements).toBe(1);

    expect((await api('/api/auth/signout', { method: 'POST', headers: bearer(client.token) })).status).toBe(204);
    const ended = await countingStatements(`/api/tasks/${task.id}/complete`, { method: 'PATCH', headers });
    expect(ended.response.status).toBe(401);
    expect(ended.statements).toBe(1);
  });

  it('concurrent PATCHes with the same If-Match: exactly one 200, the rest 412, and the stored task is the winner (10 rounds × 6)', async () => {
    const client = await newClient();
    for (let round = 0; round < 10; round++) {
      const task = await client.create({ title: 'contested' });
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, writer) =>
          client.request('PATCH', `/api/tasks/${task.id}`, { title: `writer ${writer}` }, { 'If-Match': '"1"' }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 412, 412, 412, 412, 412]);
      const winner = (await responses.find((response) => response.status === 200)?.json()) as TaskDto;
      const stored = await client.request('GET', `/api/tasks/${task.id}`);
      expect(await stored.json()).toEqual(winner);
      expect(stored.headers.get('ETag')).toBe('"2"');
    }
  });

  it('a DELETE and a PATCH racing with the same If-Match: exactly one wins', async () => {
    const client = await newClient();
    for (let round = 0; round < 10; round++) {
      const task = await client.create();
      const [deleted, patched] = await Promise.all([
        client.request('DELETE', `/api/tasks/${task.id}`, undefined, { 'If-Match': '"1"' }),
        client.request('PATCH', `/api/tasks/${task.id}`, { title: 'mine' }, { 'If-Match': '"1"' }),
      ]);
      // The PATCH loses with 412 if it saw the task before the DELETE committed, 404 if after.
      const outcome = [deleted.status, patched.status];
      expect([
        [204, 412],
        [204, 404],
        [412, 200],
      ]).toContainEqual(outcome);
      const after = await client.request('GET', `/api/tasks/${task.id}`);
      expect(after.status).toBe(deleted.status === 204 ? 404 : 200);
    }
  });
});

describe('OpenAPI', () => {
  it('documents ETag on Task responses, If-Match on the writes, and 412', async () => {
    const doc = OPENAPI_DOCUMENT as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string }[];
            responses: Record<string, { headers?: Record<string, unknown> }>;
          }
        >
      >;
    };
    const one = doc.paths['/api/tasks/{id}'];
    for (const op of [one.patch, one.put, one.delete, doc.paths['/api/tasks/{id}/complete'].patch]) {
      expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'if-match', in: 'header' }));
      expect(op.responses['412']).toBeDefined();
    }
    for (const response of [
      one.get.responses['200'],
      one.patch.responses['200'],
      doc.paths['/api/tasks'].post.responses['201'],
    ]) {
      expect(response.headers?.ETag).toBeDefined();
    }
  });
});
