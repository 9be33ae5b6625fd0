// The app's one client of the Task API. Tokens (the access token in memory, the refresh token in
// localStorage), refreshing once across tabs, telling every tab of a sign-out, retrying creates and
// sending task versions are all @task-api/client's (client/ in this repository): none of it is here.
import { createTaskApi } from '@task-api/client';
import { testFetch } from './test-hooks.ts';

export const api = createTaskApi({ baseUrl: __API_URL__, fetch: __TEST_HOOKS__ ? testFetch : undefined });
