// 405 for a known path with a wrong method (and 204 + Allow for a plain OPTIONS): derived from the routes the app actually registered, so
// it can never disagree with them. Registered last, so it only answers when no route method matched.
import type { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { AppError } from './errors.ts';

export function answerWrongMethods(app: Hono<AppEnv>): void {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue; // middleware
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods, 'OPTIONS'].join(', ');
    app.all(path, (c) => {
      if (c.req.method === 'OPTIONS') return c.body(null, 204, { Allow: allow });
      throw new AppError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on this path; allowed: ${allow}`, {
        headers: { Allow: allow },
      });
    });
  }
}
