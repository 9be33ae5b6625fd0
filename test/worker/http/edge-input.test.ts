// Odd but possible input must get a clear 4xx, never a 500 or a misleading 503 (found in review).
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../src/db/errors.ts';
import { api } from '../support/api.ts';
import { authPost, signUp } from '../support/auth.ts';
import { newClient } from '../support/tasks.ts';

describe('Content-Type variants on JSON routes', () => {
  it.each([
    ['application/json; charset=utf-8', 201],
    ['application/json;charset="UTF-8"', 201],
    ['Application/JSON', 201],
    // JSON look-alikes are not what the routes declare: 415, not parsed as if they were.
    ['application/vnd.api+json', 415],
    ['application/merge-patch+json', 415],
    ['application/json; charset=utf-16', 415],
    ['application/json; profile=x', 415],
    ['application/json;', 415],
    ['application/json ; charset=utf-8', 415],
    ['application/vnd.v1+json', 415],
    ['text/plain', 415],
    ['application/x-www-form-urlencoded', 415],
  ])('%j → %i', async (contentType, status) => {
    const client = await newClient();
    const response = await client.request('POST', '/api/tasks', undefined, { 'Content-Type': contentType });
    // an empty body with a JSON type is a validation error, so send one explicitly
    const withBody = await api('/api/tasks', {
      method: 'POST',
      headers: { Authorization: `Bearer ${client.token}`, 'Content-Type': contentType },
      body: JSON.stringify({ title: 'typed' }),
    });
    expect(withBody.status).toBe(status);
    expect(response.status).toBeLessThan(500);
  });

  it('no body and no Content-Type is not body-carrying: 400 VALIDATION_FAILED, not 415', async () => {
    const client = await newClient();
    const response = await client.request('POST', '/api/tasks');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('NUL characters (Postgres cannot store U+0000)', () => {
  it('in a title or description → 400 naming the field', async () => {
    const client = await newClient();
    const create = await client.request('POST', '/api/tasks', { title: 'a\u0000b' });
    expect(create.status).toBe(400);
    expect(await create.json()).toMatchObject({ errors: [{ path: 'title' }] });
    const task = await client.create();
    const patch = await client.request('PATCH', `/api/tasks/${task.id}`, { description: 'a\u0000 socket closed' });
    expect(patch.status).toBe(400);
    expect(await patch.json()).toMatchObject({ errors: [{ path: 'description' }] });
  });

  it('in a signin email → the usual 401 INVALID_CREDENTIALS', async () => {
    const { email, password } = await signUp();
    const response = await authPost('/api/auth/signin', { email: `${email}\u0000`, password });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });
});

describe('database-unavailable classification', () => {
  it('decides by SQLSTATE or by the driver\u2019s own error, never by a wrapper message carrying user input', () => {
    const wrap = (cause: unknown) =>
      Object.assign(new Error('Failed query: insert … params: socket closed timeout'), { cause });
    expect(isDatabaseUnavailable(wrap(Object.assign(new Error('invalid byte sequence'), { code: '22021' })))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(wrap(Object.assign(new Error('unique violation'), { code: '23505' })))).toBe(false);
    expect(isDatabaseUnavailable(wrap(Object.assign(new Error('terminating connection'), { code: '57P01' })))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(wrap(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(wrap(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })))).toBe(true);
    expect(isDatabaseUnavailable(wrap(new TypeError('x is not a function')))).toBe(false);
  });
});

describe('bodies that are ignored are still limited', () => {
  it('PATCH …/complete with a chunked body over 64 KiB → 413', async () => {
    const client = await newClient();
    const task = await client.create();
    const chunk = new TextEncoder().encode('x'.repeat(8192));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await api(`/api/tasks/${task.id}/complete`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${client.token}` },
      body,
      // @ts-expect-error: duplex is required for streamed request bodies
      duplex: 'half',
    });
    expect(response.status).toBe(413);
    const after = await client.request('GET', `/api/tasks/${task.id}`);
    expect(((await after.json()) as { completed: boolean }).completed).toBe(false);
  });
});

describe('OPTIONS', () => {
  it('a plain OPTIONS (not a preflight) on a known path → 204 with Allow', async () => {
    const response = await api('/api/tasks', { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('Allow')).toBe('GET, HEAD, POST, OPTIONS');
  });
});
