// Accounts and tokens for tests: real signups through the Worker, and hand-made JWTs for attacks.
import { env } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import type { SessionDto } from '../../../src/auth/schemas.ts';
import { api, apiWith, jsonRequest } from './api.ts';

export const TEST_SECRET = (env as { BETTER_AUTH_SECRET: string }).BETTER_AUTH_SECRET;
export const secretKey = new TextEncoder().encode(TEST_SECRET);

let ipCounter = 0;
/** A distinct client address per call, so the per-IP auth rate limit never couples tests. */
export function freshIp(): string {
  ipCounter += 1;
  const rand = crypto.getRandomValues(new Uint8Array(2));
  return `10.${rand[0]}.${rand[1]}.${ipCounter % 250}`;
}

/** The bindings of a valid production deployment that sets no BCRYPT_COST, so the default (12) applies. */
export const PRODUCTION_DEFAULTS = {
  APP_ENV: 'production',
  BCRYPT_COST: undefined,
  CORS_ORIGINS: 'https://app.example',
  APP_URL: 'https://app.example',
  EMAIL_FROM: 'no-reply@app.example',
  EMAIL_TRANSPORT: undefined,
};

export function uniqueEmail(label = 'user'): string {
  return `${label}-${crypto.randomUUID().slice(0, 12)}@example.test`;
}

export function authPost(path: string, body: unknown, headers: Record<string, string> = {}) {
  return api(path, jsonRequest(body, { headers: { 'CF-Connecting-IP': freshIp(), ...headers } }));
}

/** authPost with some bindings replaced (apiWith): another configuration for one request. */
export function authPostWith(bindings: Parameters<typeof apiWith>[0], path: string, body: unknown) {
  return apiWith(bindings, path, jsonRequest(body, { headers: { 'CF-Connecting-IP': freshIp() } }));
}

export async function signUp(email = uniqueEmail(), password = 'correct horse battery') {
  const response = await authPost('/api/auth/signup', { email, password });
  expect(response.status).toBe(201);
  const session = (await response.json()) as SessionDto;
  return {
    email,
    password,
    session,
    token: session.accessToken,
    userId: session.user.id,
    sessionId: session.sessionId,
    refreshToken: session.refreshToken,
  };
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** A token signed with the test secret (or another key) with the given header and claims. */
export async function craftToken(options: {
  sub?: string;
  sid?: string;
  alg?: 'HS256' | 'HS384' | 'HS512';
  key?: Uint8Array;
  iss?: string | null;
  aud?: string | null;
  exp?: number | null;
  iat?: number | null;
  nbf?: number;
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {};
  if (options.sub !== undefined) claims.sub = options.sub;
  if (options.sid !== undefined) claims.sid = options.sid;
  if (options.iss !== null) claims.iss = options.iss ?? 'task-api';
  if (options.aud !== null) claims.aud = options.aud ?? 'task-api';
  if (options.iat !== null) claims.iat = options.iat ?? now;
  if (options.exp !== null) claims.exp = options.exp ?? now + 600;
  if (options.nbf !== undefined) claims.nbf = options.nbf;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .sign(options.key ?? secretKey);
}

export function base64url(text: string): string {
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The body without its requestId, for "identical but for the request id" comparisons. */
export async function bodyWithoutRequestId(response: Response): Promise<Record<string, unknown>> {
  const { requestId, ...rest } = (await response.json()) as Record<string, unknown>;
  expect(typeof requestId).toBe('string');
  return rest;
}

export function headersWithoutRequestId(response: Response): Record<string, string> {
  const headers = Object.fromEntries(response.headers);
  delete headers['x-request-id'];
  return headers;
}

/** DELETE /api/auth/me with the user's password, from the given client address. */
export function deleteAccount(user: { token: string; password: string }, ip = freshIp()): Promise<Response> {
  return api('/api/auth/me', {
    method: 'DELETE',
    headers: { ...bearer(user.token), 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
    body: JSON.stringify({ password: user.password }),
  });
}
