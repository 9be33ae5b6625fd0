// Helpers for tests that run inside workerd and talk to the Worker like a client would.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { neon } from '@neondatabase/serverless';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/db/client.ts';
import worker from '../../../src/index.ts';
import { OPENAPI_DOCUMENT } from './openapi-document.ts';

export const BASE = 'http://api.test';

/** A request through the deployed entry point with the test bindings. */
export async function api(path: string, init?: RequestInit): Promise<Response> {
  const request = new Request(`${BASE}${path}`, init);
  return documented(request, await (exports as unknown as { default: Fetcher }).default.fetch(request));
}

/** A request through the Worker entry with some bindings replaced (e.g. a broken configuration). */
export async function apiWith(overrides: Partial<Record<keyof Bindings, unknown>>, path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const request = new Request(`${BASE}${path}`, init);
  const response = await worker.fetch(request, { ...env, ...overrides } as Bindings, ctx);
  await waitOnExecutionContext(ctx);
  return documented(request, response);
}

// The document's paths as the router matches them: literal paths (/api/tasks/changes) before templated
// ones (/api/tasks/{id}), each path's methods its own. The document's own path is a static asset beside
// the Worker, which answers it 404 like any path it does not serve.
const PATHS = Object.entries(OPENAPI_DOCUMENT.paths)
  .filter(([template]) => template !== '/api/openapi.json')
  .map(([template, operations]) => ({
    template,
    operations,
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
    parameters: template.split('{').length,
  }))
  .sort((a, b) => a.parameters - b.parameters);

/** The codes the document lists for one response of an operation (its schema narrows Problem's `code`). */
function documentedCodes(response: any): string[] {
  const schema = response?.content?.['application/problem+json']?.schema;
  return schema?.allOf?.find((part: any) => part.properties?.code)?.properties.code.enum ?? [];
}

/**
 * Every problem the suite provokes must be one its operation documents: the (status, code) of each
 * problem+json answer is looked up in the OpenAPI document (client/openapi.json) under the operation the
 * request matched, and an undocumented one fails the test that provoked it. Requests the document has no
 * operation for (an unknown path's 404, a wrong method's 405) are not checked, nor HEAD (no body).
 */
export async function documented(request: Request, response: Response): Promise<Response> {
  if (!response.headers.get('Content-Type')?.startsWith('application/problem+json')) return response;
  const method = request.method.toLowerCase();
  const pathname = new URL(request.url).pathname;
  const path = PATHS.find((candidate) => candidate.pattern.test(pathname) && candidate.operations[method]);
  if (!path) return response;
  const operation = path.operations[method];
  const { code } = (await response.clone().json()) as { code: string };
  const codes = documentedCodes(operation.responses[response.status]);
  if (!codes.includes(code)) {
    throw new Error(
      `${request.method} ${path.template} (${operation.operationId}) answered ${response.status} ${code}, ` +
        `which its OpenAPI operation does not document (documented for ${response.status}: ${codes.join(', ') || 'nothing'})`,
    );
  }
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
