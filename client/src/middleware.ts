// The openapi-fetch middleware of `raw` (and so of every authenticated call): sends this tab's access
// token, and on a 401 gets a new one (refresh.ts) and sends the same request once more. A 401 that
// survives that means the session is over. INVALID_CREDENTIALS is a wrong password (password change,
// account deletion), never an ended session; a 403 is never one either.
import type { Middleware } from 'openapi-fetch';
import type { SessionState } from './session.js';

const codeOf = (response: Response): Promise<unknown> =>
  response
    .clone()
    .json()
    .then(
      (body) => (body as { code?: unknown } | null)?.code,
      () => undefined,
    );

const ended = async (response: Response) =>
  response.status === 401 && (await codeOf(response)) !== 'INVALID_CREDENTIALS';

export function authMiddleware(state: SessionState, refresh: (refused?: string) => Promise<boolean>): Middleware {
  // What each request was sent with: the token, and an unsent copy to send again.
  const sent = new WeakMap<Request, { token?: string; copy: Request }>();
  const authorize = (request: Request, token?: string) => {
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  };
  return {
    onRequest({ request }) {
      const token = state.current?.accessToken;
      sent.set(authorize(request, token), { token, copy: request.clone() });
    },
    async onResponse({ request, response, options }) {
      const first = sent.get(request);
      if (!first || !(await ended(response))) return;
      // false: nothing stored, so nothing to refresh with; the 401 stands.
      if (!(await refresh(first.token))) return;
      // Called as a plain function: a browser's fetch refuses to run as a method of another object.
      const { fetch } = options;
      const again = await fetch(authorize(first.copy, state.current?.accessToken));
      if (await ended(again)) await state.end(state.known);
      return again;
    },
  };
}
