// Helpers for tests that run inside workerd and talk to the Worker like a client would.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { Pool } from '@neondatabase/serverless';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/db/client.ts';
import worker from '../../../src/index.ts';

export const BASE = 'http://api.test';

/** A request through the deployed entry point with the test bindings. */
export function api(path: string, init?: RequestInit): Promise<Response> {
  return (exports as unknown as { default: Fetcher }).default.fetch(new Request(`${BASE}${path}`, init));
}

/** A request through the Worker entry with some bindings replaced (e.g. a broken configuration). */
export async function apiWith(overrides: Partial<Record<keyof Bindings, unknown>>, path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}${path}`, init), { ...env, ...overrides } as Bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export function jsonRequest(body: unknown, init: RequestInit = {}): RequestInit {
  return {
    method: 'POST',
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
    body: JSON.stringify(body),
  };
}

/**
 * Runs SQL against the test database through the same driver and pipe the Worker uses. A fresh pool
 * per call: workerd forbids reusing sockets across requests (and tests).
 */
export async function queryDatabase<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  createDatabase(loadConfig(env as Bindings)); // configures the driver for the local pipe
  const pool = new Pool({ connectionString: (env as Bindings).DATABASE_URL });
  pool.on('error', () => {});
  try {
    const result = await pool.query(text, params);
    return result.rows as T[];
  } finally {
    await pool.end();
  }
}

export const UNREACHABLE_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:9/nothing_listens_here';

/**
 * Sends one request with a database connection of its own name, and returns the response together
 * with the number of statements the driver sent for it, as counted on the wire by the pipe.
 */
export async function countingStatements(
  path: string,
  init?: RequestInit,
): Promise<{ response: Response; statements: number }> {
  const application = `count-${crypto.randomUUID()}`;
  const url = new URL((env as Bindings).DATABASE_URL as string);
  url.searchParams.set('application_name', application);
  const response = await apiWith({ DATABASE_URL: url.toString() }, path, init);
  const pipe = (env as Bindings).LOCAL_DB_PIPE;
  const counted = await fetch(`http://${pipe}/statements?application_name=${application}`);
  const { statements } = (await counted.json()) as { statements: number };
  return { response, statements };
}
