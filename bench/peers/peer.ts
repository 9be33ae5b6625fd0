// The peer: a minimal app on the project's stack, written the way the libraries' own guides show.
// Hono routes; every /api/tasks request verifies its HS256 bearer token with jose's jwtVerify (issuer,
// audience, algorithm pinned; no cache of verified tokens; the secret passed as bytes, as jose's README
// does, so jose imports the HMAC key on each verification); Drizzle's query builder over
// drizzle-orm/neon-http runs one statement per route; bodies are checked by hand (no schema library).
// The same paths and status codes as the project's routes, none of its other work (no session check in
// SQL, no OpenAPI validation, no ETags, no problem+json errors, no request log).
import { neon, neonConfig } from '@neondatabase/serverless';
import { and, desc, eq, sql } from 'drizzle-orm';
import { drizzle, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { jwtVerify } from 'jose';
import { tasks } from './schema.ts';

interface Env {
  Bindings: { DATABASE_URL: string; SQL_HTTP: string; BETTER_AUTH_SECRET: string };
  Variables: { userId: string };
}

let db: NeonHttpDatabase | undefined;
let key: Uint8Array | undefined;

function database(env: Env['Bindings']): NeonHttpDatabase {
  if (!db) {
    neonConfig.fetchEndpoint = () => `http://${env.SQL_HTTP}/sql`;
    db = drizzle({ client: neon(env.DATABASE_URL) });
  }
  return db;
}

const auth = createMiddleware<Env>(async (c, next) => {
  const token = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
  if (!token) return c.json({ error: 'unauthenticated' }, 401);
  key ??= new TextEncoder().encode(c.env.BETTER_AUTH_SECRET);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: 'task-api',
      audience: 'task-api',
    });
    if (typeof payload.sub !== 'string') return c.json({ error: 'unauthenticated' }, 401);
    c.set('userId', payload.sub);
  } catch {
    return c.json({ error: 'unauthenticated' }, 401);
  }
  await next();
});

const taskId = (value: string) => {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

const api = new Hono<Env>();
api.use(auth);

api.get('/', async (c) => {
  const limit = Number(c.req.query('limit') ?? '20');
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return c.json({ error: 'bad limit' }, 400);
  const rows = await database(c.env)
    .select()
    .from(tasks)
    .where(eq(tasks.userId, c.get('userId')))
    .orderBy(desc(tasks.createdAt), desc(tasks.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? btoa(`${last.createdAt},${last.id}`) : null;
  return c.json({ items, nextCursor });
});

api.get('/:id', async (c) => {
  const id = taskId(c.req.param('id'));
  if (id === undefined) return c.json({ error: 'bad id' }, 400);
  const [task] = await database(c.env)
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, id), eq(tasks.userId, c.get('userId'))));
  return task ? c.json(task) : c.json({ error: 'not found' }, 404);
});

api.post('/', async (c) => {
  const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
  const title = body?.title;
  const description = body?.description ?? null;
  const completed = body?.completed ?? false;
  if (
    typeof title !== 'string' ||
    title.length < 1 ||
    title.length > 200 ||
    (description !== null && (typeof description !== 'string' || description.length > 1000)) ||
    typeof completed !== 'boolean'
  )
    return c.json({ error: 'invalid body' }, 400);
  const [task] = await database(c.env)
    .insert(tasks)
    .values({ title, description, completed, userId: c.get('userId') })
    .returning();
  return c.json(task, 201);
});

api.patch('/:id', async (c) => {
  const id = taskId(c.req.param('id'));
  if (id === undefined) return c.json({ error: 'bad id' }, 400);
  const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body) return c.json({ error: 'invalid body' }, 400);
  const changes: { title?: string; description?: string | null; completed?: boolean } = {};
  if (body.title !== undefined) {
    if (typeof body.title !== 'string' || body.title.length < 1 || body.title.length > 200)
      return c.json({ error: 'invalid title' }, 400);
    changes.title = body.title;
  }
  if (body.description !== undefined) {
    if (body.description !== null && (typeof body.description !== 'string' || body.description.length > 1000))
      return c.json({ error: 'invalid description' }, 400);
    changes.description = body.description;
  }
  if (body.completed !== undefined) {
    if (typeof body.completed !== 'boolean') return c.json({ error: 'invalid completed' }, 400);
    changes.completed = body.completed;
  }
  const [task] = await database(c.env)
    .update(tasks)
    .set({ ...changes, updatedAt: sql`(now() at time zone 'utc')`, version: sql`${tasks.version} + 1` })
    .where(and(eq(tasks.id, id), eq(tasks.userId, c.get('userId'))))
    .returning();
  return task ? c.json(task) : c.json({ error: 'not found' }, 404);
});

const app = new Hono<Env>();
app.get('/api/health/live', (c) => c.json({ status: 'ok' }));
app.route('/api/tasks', api);

export default app;
