// Validation errors an app can put next to a field: the field's path ("" for the body as a whole) and a
// message in plain words, not zod's generic wording.
import { describe, expect, it } from 'vitest';
import { newClient } from '../support/tasks.ts';

async function errorsOf(response: Response) {
  expect(response.status).toBe(400);
  return ((await response.json()) as { errors: { path: string; message: string }[] }).errors;
}

describe('validation errors', () => {
  it('names the field, in words', async () => {
    const client = await newClient();
    expect(await errorsOf(await client.request('POST', '/api/tasks', { title: 'x', userId: 'someone' }))).toEqual([
      { path: 'userId', message: 'is not a field of this request' },
    ]);
    expect(await errorsOf(await client.request('POST', '/api/tasks', { description: 'no title' }))).toEqual([
      { path: 'title', message: 'is required' },
    ]);
    expect(await errorsOf(await client.request('POST', '/api/tasks', { title: 42 }))).toEqual([
      { path: 'title', message: 'must be a string' },
    ]);
  });

  it('a rule on the body as a whole has path "" (not "json")', async () => {
    const client = await newClient();
    const task = await client.create();
    expect(await errorsOf(await client.request('PATCH', `/api/tasks/${task.id}`, {}))).toEqual([
      { path: '', message: 'send at least one of title, description, completed' },
    ]);
  });
});
