// Text that is not text: lone surrogates, invalid UTF-8, control and bidirectional-override characters
// are 400 before anything is stored (src/tasks/schemas.ts, src/http/json-body.ts).

import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { api, queryDatabase } from '../support/api.ts';
import { OPENAPI_DOCUMENT } from '../support/openapi-document.ts';
import { type Client, newClient } from '../support/tasks.ts';

function raw(client: Client, method: string, path: string, body: string | Uint8Array) {
  return api(path, {
    method,
    headers: { Authorization: `Bearer ${client.token}`, 'Content-Type': 'application/json' },
    body,
  });
}

async function storedCount(client: Client): Promise<number> {
  const rows = await queryDatabase('select 1 from tasks where user_id = $1', [client.userId]);
  return rows.length;
}

describe('well-formed Unicode', () => {
  it('a lone surrogate (a JSON \\ud800 escape) in a title or description → 400 naming the field, nothing stored', async () => {
    const client = await newClient();
    for (const [body, path] of [
      ['{"title":"a\\ud800b"}', 'title'],
      ['{"title":"\\udc00"}', 'title'],
      ['{"title":"ok","description":"x\\udbff"}', 'description'],
      ['{"title":"ok","description":"\\ude00\\ud83d"}', 'description'],
    ]) {
      const response = await raw(client, 'POST', '/api/tasks', body);
      expect(response.status, body).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path }] });
    }
    expect(await storedCount(client)).toBe(0);
    const task = await client.create();
    const patch = await raw(client, 'PATCH', `/api/tasks/${task.id}`, '{"title":"\\ud800"}');
    expect(patch.status).toBe(400);
    const put = await raw(
      client,
      'PUT',
      `/api/tasks/${task.id}`,
      '{"title":"t","description":"\\udfff","completed":true}',
    );
    expect(put.status).toBe(400);
  });

  it('surrogate pairs (astral characters) are text: stored and returned exactly', async () => {
    const client = await newClient();
    const created = await raw(
      client,
      'POST',
      '/api/tasks',
      '{"title":"\\ud83e\\uddea 🧪","description":"日本語 \\ud83d\\ude00"}',
    );
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ title: '🧪 🧪', description: '日本語 😀' });
  });

  it('a body that is not UTF-8 → 400 (never stored as U+FFFD), on create, PATCH and PUT', async () => {
    const client = await newClient();
    const task = await client.create({ title: 'before' });
    const encoder = new TextEncoder();
    const invalid = (prefix: string, suffix: string) =>
      new Uint8Array([...encoder.encode(prefix), 0xff, 0xc3, ...encoder.encode(suffix)]);
    for (const [method, path, body] of [
      ['POST', '/api/tasks', invalid('{"title":"a', '"}')],
      ['PATCH', `/api/tasks/${task.id}`, invalid('{"description":"', '"}')],
      ['PUT', `/api/tasks/${task.id}`, invalid('{"title":"', '","description":null,"completed":false}')],
    ] as const) {
      const response = await raw(client, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body' }] });
    }
    expect(await queryDatabase('select title from tasks where user_id = $1', [client.userId])).toEqual([
      { title: 'before' },
    ]);
    // A real U+FFFD sent as text is text.
    const replacement = await raw(client, 'POST', '/api/tasks', '{"title":"\ufffd"}');
    expect(replacement.status).toBe(201);
  });
});

describe('control and bidirectional characters', () => {
  it.each([
    ['tab', '\t'],
    ['line feed', '\n'],
    ['carriage return', '\r'],
    ['escape', '\u001b'],
    ['delete', '\u007f'],
    ['C1 next line', '\u0085'],
    ['right-to-left override', '\u202e'],
    ['left-to-right embedding', '\u202a'],
    ['first strong isolate', '\u2068'],
    ['pop directional isolate', '\u2069'],
  ])('a title with %s → 400', async (_, character) => {
    const client = await newClient();
    const response = await client.request('POST', '/api/tasks', { title: `safe${character}txt.exe` });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'title' }] });
    expect(await storedCount(client)).toBe(0);
  });

  it('descriptions allow tab, line feed and carriage return and keep bidi characters verbatim; other controls → 400', async () => {
    const client = await newClient();
    const description = 'line one\r\nline two\tcolumn \u202eevil\u202c \u2067isolate\u2069';
    const created = (await client.create({ title: 'ok \u200f mark', description })) as TaskDto;
    expect(created.description).toBe(description);
    expect(created.title).toBe('ok \u200f mark');
    for (const character of ['\u0000', '\u0007', '\u000b', '\u001f', '\u009f']) {
      const response = await client.request('PATCH', `/api/tasks/${created.id}`, { description: `a${character}b` });
      expect(response.status, JSON.stringify(character)).toBe(400);
    }
  });

  it('the rules are in the OpenAPI document', async () => {
    const { title, description } = OPENAPI_DOCUMENT.components.schemas.CreateTaskBody.properties;
    expect(title.description).toMatch(/well-formed Unicode.*control characters.*U\+202A/);
    expect(description.description).toMatch(/tab, line feed and carriage return/);
  });
});
