// The typed client a browser app would use: hc<AppType> from hono/client, against the Worker.
import { exports } from 'cloudflare:workers';
import { hc } from 'hono/client';
import { describe, expect, it } from 'vitest';
import type { AppType } from '../../src/app.ts';
import { freshIp, uniqueEmail } from './support/auth.ts';

const worker = (exports as unknown as { default: Fetcher }).default;
const fetchThroughWorker: typeof fetch = (input, init) => worker.fetch(new Request(input, init));

describe('hc<AppType>', () => {
  it('drives signup → create → list with typed requests and responses', async () => {
    const anonymous = hc<AppType>('http://api.test', {
      fetch: fetchThroughWorker,
      headers: { 'CF-Connecting-IP': freshIp() },
    });
    const signup = await anonymous.api.auth.signup.$post({
      json: { email: uniqueEmail('hc'), password: 'typed client pw' },
    });
    expect(signup.status).toBe(201);
    if (signup.status !== 201) return;
    const session = await signup.json();

    const client = hc<AppType>('http://api.test', {
      fetch: fetchThroughWorker,
      headers: { Authorization: `Bearer ${session.accessToken}` },
    });
    const created = await client.api.tasks.$post({ json: { title: 'from the typed client' } });
    expect(created.status).toBe(201);
    if (created.status !== 201) return;
    const task = await created.json();
    expect(task.title).toBe('from the typed client');

    const list = await client.api.tasks.$get({ query: { limit: '10' } });
    expect(list.status).toBe(200);
    if (list.status !== 200) return;
    const page = await list.json();
    expect(page.items.map((item) => item.id)).toEqual([task.id]);

    // Optional headers need no `header` (above); sent, they are typed and honoured.
    const key = crypto.randomUUID();
    const once = await client.api.tasks.$post({ header: { 'idempotency-key': key }, json: { title: 'once' } });
    const replayed = await client.api.tasks.$post({ header: { 'idempotency-key': key }, json: { title: 'once' } });
    expect([once.status, replayed.status]).toEqual([201, 201]);
    expect(replayed.headers.get('Idempotent-Replayed')).toBe('true');
    if (once.status !== 201) return;
    const onceTask = await once.json();
    const removed = await client.api.tasks[':id'].$delete({ param: { id: String(onceTask.id) } });
    expect(removed.status).toBe(204);

    const etag = created.headers.get('ETag');
    expect(etag).toBe('"1"');
    const toggled = await client.api.tasks[':id'].complete.$patch({
      param: { id: String(task.id) },
      header: { 'if-match': etag ?? '' },
    });
    expect(toggled.status).toBe(200);
    expect(toggled.headers.get('ETag')).toBe('"2"');

    // The same version again: someone (this client) changed it since.
    const stale = await client.api.tasks[':id'].$patch({
      param: { id: String(task.id) },
      header: { 'if-match': etag ?? '' },
      json: { title: 'stale' },
    });
    expect(stale.status).toBe(412);
    if (stale.status === 412) expect((await stale.json()).code).toBe('PRECONDITION_FAILED');
  });
});
