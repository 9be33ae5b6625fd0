// What a browser app in its own repository writes. Compiled by test/node/consumer.test.ts with the
// tsconfig.json that `tsc --init` generates; every `@ts-expect-error` must be a real type error.
import { hc } from 'hono/client';
import createClient from 'openapi-fetch';
import type { AppType } from '../../client/app-type.js';
import type { paths } from '../../client/openapi.js';

const api = 'https://task-api.example.workers.dev';

export async function withTheTypedClient(accessToken: string): Promise<string[]> {
  const client = hc<AppType>(api, { headers: { Authorization: `Bearer ${accessToken}` } });
  const created = await client.api.tasks.$post({ json: { title: 'Buy milk' } });
  if (created.status === 201) {
    const task = await created.json();
    const id: number = task.id;
    void id;
  }
  // @ts-expect-error the owner is implied by the token: a body cannot name it
  await client.api.tasks.$post({ json: { title: 'x', userId: 'someone' } });
  // Optional headers (Idempotency-Key, If-Match) need no `header: {}`; sent, they are typed.
  await client.api.tasks[':id'].complete.$patch({ param: { id: '1' } });
  await client.api.tasks[':id'].$delete({ param: { id: '1' }, header: { 'if-match': '"3"' } });
  const page = await client.api.tasks.$get({ query: { limit: '20' } });
  if (page.status !== 200) return [];
  const { items } = await page.json();
  return items.map((task) => task.title);
}

export async function withOpenApiFetch(accessToken: string): Promise<string | undefined> {
  const client = createClient<paths>({ baseUrl: api, headers: { Authorization: `Bearer ${accessToken}` } });
  const { data, error } = await client.POST('/api/auth/refresh', { body: { refreshToken: 'stored token' } });
  if (error) return error.code;
  // @ts-expect-error a Session has no password field
  void data.password;
  const { data: tasks } = await client.GET('/api/tasks', { params: { query: { status: 'pending' } } });
  return tasks?.items[0]?.title;
}
