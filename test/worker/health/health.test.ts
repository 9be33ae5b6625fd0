import { describe, expect, it } from 'vitest';
import { api, apiWith, countingStatements, UNREACHABLE_DATABASE_URL } from '../support/api.ts';

describe('GET /api/health', () => {
  it('answers 200 when the database answers', async () => {
    const response = await api('/api/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After when the database cannot be reached', async () => {
    const started = Date.now();
    const response = await apiWith({ DATABASE_URL: UNREACHABLE_DATABASE_URL }, '/api/health');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(response.status).toBe(503);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(JSON.stringify(problem)).not.toMatch(/9\/nothing_listens_here|postgres:\/\//);
  });
});

describe('GET /api/health/live', () => {
  it('answers 200 without the database', async () => {
    const { response, statements } = await countingStatements('/api/health/live');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(statements).toBe(0);
    const down = await apiWith({ DATABASE_URL: UNREACHABLE_DATABASE_URL }, '/api/health/live');
    expect(down.status).toBe(200);
  });
});
