// CORS and browser-facing headers (SECURITY F32–F33). Allowed origins come from CORS_ORIGINS
// (http://app.test in the test configuration).
import { describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { bearer, signUp } from '../support/auth.ts';

const ALLOWED = 'http://app.test';
const accessControl = (response: Response) =>
  [...response.headers.keys()].filter((name) => name.toLowerCase().startsWith('access-control-'));

describe('CORS', () => {
  it('an allowed origin is echoed exactly, with Vary: Origin and exposed headers, never credentials', async () => {
    const response = await api('/api/health', { headers: { Origin: ALLOWED } });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    expect(response.headers.get('Vary')).toMatch(/Origin/);
    expect(response.headers.get('Access-Control-Expose-Headers')).toBe(
      'Location, X-Request-Id, Retry-After, ETag, WWW-Authenticate, Idempotent-Replayed',
    );
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it.each(['https://evil.example', 'null', 'http://app.test.evil.example', 'http://APP.test', 'http://app.test/'])(
    'origin %j gets no CORS headers at all',
    async (origin) => {
      const response = await api('/api/health', { headers: { Origin: origin } });
      expect(response.status).toBe(200);
      expect(accessControl(response)).toEqual([]);
      expect(response.headers.get('Vary')).toMatch(/Origin/);
    },
  );

  it('preflight from an allowed origin: 204 with methods, headers and max-age', async () => {
    const response = await api('/api/tasks', {
      method: 'OPTIONS',
      headers: {
        Origin: ALLOWED,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    expect(response.headers.get('Access-Control-Allow-Methods')).toBe('GET, POST, PUT, PATCH, DELETE');
    expect(response.headers.get('Access-Control-Allow-Headers')).toBe(
      'Authorization, Content-Type, Idempotency-Key, If-Match',
    );
    expect(response.headers.get('Access-Control-Expose-Headers')).toBe(
      'Location, X-Request-Id, Retry-After, ETag, WWW-Authenticate, Idempotent-Replayed',
    );
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(response.headers.get('X-Request-Id')).toBeTruthy();
  });

  it('preflight from another origin still answers 204, without any CORS header', async () => {
    for (const origin of ['https://evil.example', 'null']) {
      const response = await api('/api/tasks', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'DELETE' },
      });
      expect(response.status).toBe(204);
      expect(accessControl(response)).toEqual([]);
    }
  });

  it('error responses to an allowed origin carry CORS headers too, so the browser app can read them', async () => {
    const response = await api('/api/tasks', { headers: { Origin: ALLOWED } });
    expect(response.status).toBe(401);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
  });
});

describe('hardening headers on authenticated and token-bearing responses', () => {
  it('nosniff and no-store everywhere; HSTS only over https', async () => {
    const { token } = await signUp();
    const responses = [
      await api('/api/tasks', { headers: bearer(token) }),
      await api('/api/auth/me', { headers: bearer(token) }),
      await api('/api/health/live'),
    ];
    for (const response of responses) {
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(response.headers.get('Cache-Control')).toBe('no-store');
      expect(response.headers.get('Strict-Transport-Security')).toBeNull();
    }
  });
});
