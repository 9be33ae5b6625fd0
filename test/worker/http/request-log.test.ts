// One structured JSON log line per request, queryable in Workers Logs, with nothing secret in it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logEvent } from '../../../src/lib/log.ts';
import { apiWith } from '../support/api.ts';
import { authPostWith, bearer, signUp } from '../support/auth.ts';

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

describe('log lines cannot be forged', () => {
  it('CR, LF and line separators in logged values stay inside one JSON line', async () => {
    const raw: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => raw.push(String(line)));
    const forged = 'x\r\n{"level":"info","event":"signin","outcome":"success"}\u2028\u2029';
    logEvent('info', { event: 'probe', value: forged });
    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(JSON.parse(raw[0])).toMatchObject({ event: 'probe', value: forged });
  });

  it('a signin whose email carries CR/LF and a fake log line writes one failure line, no forged success', async () => {
    const raw: string[] = [];
    for (const method of ['log', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((line: unknown) => raw.push(String(line)));
    }
    const email = 'evil\r\n{"level":"info","event":"signin","outcome":"success","userId":"x"}@example.test';
    const response = await authPostWith({}, '/api/auth/signin', { email, password: 'wrong password' });
    expect(response.status).toBe(401);
    for (const line of raw) expect(line).not.toMatch(/[\r\n]/);
    const signins = raw.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => e.event === 'signin');
    expect(signins).toHaveLength(1);
    expect(signins[0]).toMatchObject({ outcome: 'failure', emailHash: expect.any(String) });
    expect(raw.join('\n')).not.toContain('evil');
  });
});

describe('CORS refusals', () => {
  it('an origin not in CORS_ORIGINS is one warning naming it and the allowed list, not one per request', async () => {
    const lines = captureLogs();
    const origin = `https://refused-${crypto.randomUUID()}.example`;
    for (let i = 0; i < 3; i++) {
      const response = await apiWith({}, '/api/health/live', { headers: { Origin: origin } });
      expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    }
    await apiWith({}, '/api/health/live', { headers: { Origin: 'http://app.test' } }); // allowed: nothing
    const warnings = lines.filter((line) => line.event === 'cors_origin_refused');
    expect(warnings).toEqual([
      {
        level: 'warn',
        time: expect.any(String),
        event: 'cors_origin_refused',
        origin,
        allowedOrigins: 'http://app.test,http://127.0.0.1:5173',
      },
    ]);
  });
});
