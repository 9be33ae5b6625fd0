import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../../../src/bindings.ts';
import { api, apiWith, countingStatements, UNREACHABLE_DATABASE_URL } from '../support/api.ts';
import { freshIp } from '../support/auth.ts';
import { insideOneWindow } from '../support/rate-limit.ts';

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

describe('GET /api/health stays cheap for anonymous callers', () => {
  it('a healthy result is reused: a repeated check within seconds runs no query', async () => {
    // One database connection string (its own application_name) for both requests, so the second one
    // meets the first one's cached result and the endpoint counts what each ran.
    const application = `health-${crypto.randomUUID()}`;
    const url = new URL((env as Bindings).DATABASE_URL as string);
    url.searchParams.set('application_name', application);
    const statements = async () =>
      (
        (await (
          await fetch(`http://${(env as Bindings).LOCAL_DB_HTTP}/statements?application_name=${application}`)
        ).json()) as { statements: number }
      ).statements;
    expect((await apiWith({ DATABASE_URL: url.toString() }, '/api/health')).status).toBe(200);
    expect(await statements()).toBe(1);
    expect((await apiWith({ DATABASE_URL: url.toString() }, '/api/health')).status).toBe(200);
    expect(await statements()).toBe(1);
  });

  it('a failure is not reused: every check during an outage reports it', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await apiWith({ DATABASE_URL: UNREACHABLE_DATABASE_URL }, '/api/health')).status).toBe(503);
    }
  });

  it('over 60 checks per client network per 60 s → 429 with Retry-After, without a query', async () => {
    const ip = freshIp();
    await insideOneWindow();
    const check = () => api('/api/health', { headers: { 'CF-Connecting-IP': ip } });
    for (let i = 0; i < 60; i++) expect((await check()).status).toBe(200);
    const { response, statements } = await countingStatements('/api/health', { headers: { 'CF-Connecting-IP': ip } });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(statements).toBe(0);
    // Another network is unaffected.
    expect((await api('/api/health', { headers: { 'CF-Connecting-IP': freshIp() } })).status).toBe(200);
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
