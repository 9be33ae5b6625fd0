// One structured JSON log line per request, queryable in Workers Logs, with nothing secret in it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiWith } from '../support/api.ts';
import { bearer, signUp } from '../support/auth.ts';

afterEach(() => vi.restoreAllMocks());

function captureLogs(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const method of ['log', 'warn', 'error'] as const) {
    vi.spyOn(console, method).mockImplementation((line: unknown) => {
      lines.push(JSON.parse(String(line)));
    });
  }
  return lines;
}

describe('request log', () => {
  it('logs method, route pattern, status, duration, request id and user id — never the token or query', async () => {
    const { token, userId, email } = await signUp();
    const lines = captureLogs();
    const response = await apiWith({}, `/api/tasks/12345?access_token=${token}&email=${email}`, {
      headers: { ...bearer(token), 'X-Request-Id': 'log-test-1' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('X-Request-Id')).toBe('log-test-1');
    const requests = lines.filter((line) => line.event === 'request');
    expect(requests).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        event: 'request',
        method: 'GET',
        route: '/api/tasks/:id',
        status: 404,
        durationMs: expect.any(Number),
        // The server's own id; the client's is kept beside it, and echoed in the response.
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientRequestId: 'log-test-1',
        userId,
      },
    ]);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(token.split('.')[2]);
    expect(text).not.toContain(email);
  });

  it('unknown routes and failures are logged too, without a user', async () => {
    const lines = captureLogs();
    await apiWith({}, '/api/nowhere');
    expect(lines.find((line) => line.event === 'request')).toMatchObject({ route: null, status: 404 });
  });
});

describe('request ids in logs', () => {
  it('the logged request id is always minted by the server: two requests sending one client id are two log ids', async () => {
    const lines = captureLogs();
    const sent = { headers: { 'X-Request-Id': 'chosen-by-client' } };
    const [a, b] = [await apiWith({}, '/api/nowhere', sent), await apiWith({}, '/api/nowhere', sent)];
    expect(a.headers.get('X-Request-Id')).toBe('chosen-by-client');
    expect(((await b.json()) as { requestId: string }).requestId).toBe('chosen-by-client');
    const logged = lines.filter((line) => line.event === 'request');
    expect(logged.map((line) => line.clientRequestId)).toEqual(['chosen-by-client', 'chosen-by-client']);
    expect(logged[0].requestId).not.toBe(logged[1].requestId);
    expect(logged[0].requestId).not.toBe('chosen-by-client');
  });
});
