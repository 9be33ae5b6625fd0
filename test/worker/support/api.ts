// Helpers for tests that run inside workerd and talk to the Worker like a client would.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { neon } from '@neondatabase/serverless';
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
 * Runs SQL against the test database through the same driver and endpoint the Worker uses (Neon's HTTP
 * path to the local SQL-over-HTTP endpoint). One statement per call.
 */
export async function queryDatabase<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  createDatabase(loadConfig(env as Bindings)); // points the driver at the local endpoint
  return (await neon((env as Bindings).DATABASE_URL as string).query(text, params)) as T[];
}

export const UNREACHABLE_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:9/nothing_listens_here';

/**
 * Sends one request with a database connection string of its own application_name (and any other
 * bindings replaced, as apiWith), and returns the response together with the number of statements the
 * Worker ran for it, as counted by the local SQL-over-HTTP endpoint.
 */
export async function countingStatements(
  path: string,
  init?: RequestInit,
  overrides: Partial<Record<keyof Bindings, unknown>> = {},
): Promise<{ response: Response; statements: number }> {
  const application = `count-${crypto.randomUUID()}`;
  const url = new URL((env as Bindings).DATABASE_URL as string);
  url.searchParams.set('application_name', application);
  const response = await apiWith({ ...overrides, DATABASE_URL: url.toString() }, path, init);
  const endpoint = (env as Bindings).LOCAL_DB_HTTP;
  const counted = await fetch(`http://${endpoint}/statements?application_name=${application}`);
  const { statements } = (await counted.json()) as { statements: number };
  return { response, statements };
}
