// Only in the browser test's build (__TEST_HOOKS__; esbuild drops this module otherwise). The test can
// have the API see a genuinely expired access token (signed by the test) in place of this tab's own,
// so the API answers 401 TOKEN_EXPIRED and the client refreshes as it would after a real expiry.
import type { TaskApi } from '@task-api/client';

let replaced: { token: string; by: string } | undefined;

export function testFetch(request: Request): Promise<Response> {
  // Once: the token the refresh brings can be the same string again (a JWT issued in the same second
  // for the same session is identical), and the request sent again with it must reach the API as is.
  if (replaced && request.headers.get('Authorization') === `Bearer ${replaced.token}`) {
    request.headers.set('Authorization', `Bearer ${replaced.by}`);
    replaced = undefined;
  }
  return fetch(request);
}

export function exposeTestHooks(api: TaskApi): void {
  const testHooks = {
    session: () => api.auth.session(),
    /** The next request carrying this tab's current access token carries `expired` instead. */
    expireAccessToken: (expired: string) => {
      const current = api.auth.session();
      if (current) replaced = { token: current.accessToken, by: expired };
    },
  };
  Object.assign(window, { testHooks });
}
