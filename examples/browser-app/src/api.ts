// Every request to the API goes through here, and so does the session: the one place that knows about
// tokens. As the README recommends:
// - the access token lives in memory only (a variable of this module);
// - the refresh token lives in localStorage, so a reload and the other tabs of this origin stay signed in;
// - a 401 TOKEN_EXPIRED is routine: refresh once, then send the same request again;
// - refreshing runs under a Web Lock, so the tabs of this origin take turns, and the stored refresh token
//   is re-read inside the lock (another tab may have refreshed while this one waited).
import type { Session } from './types.ts';

const REFRESH_KEY = 'task-api.refreshToken';
const REFRESH_LOCK = 'task-api-refresh';

/** A problem answer of the API (`application/problem+json`); `code` is what to branch on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string | undefined,
  ) {
    super(`${status} ${code}${detail ? `: ${detail}` : ''}`);
  }
}

let accessToken: string | null = null;
let session: Session | null = null;
// The refresh token this tab last stored or used: a different one in storage means another tab
// signed in again (or changed the password), and this tab can follow it (see `request`).
let knownRefreshToken: string | null = null;
const signedOutListeners: Array<(reason: ApiError) => void> = [];

export function currentSession(): Session | null {
  return session;
}

/** Called when the session is over (signed out elsewhere, revoked, expired): show the sign-in form. */
export function onSignedOut(listener: (reason: ApiError) => void): void {
  signedOutListeners.push(listener);
}

export function hasStoredSession(): boolean {
  return localStorage.getItem(REFRESH_KEY) !== null;
}

function keep(next: Session): Session {
  session = next;
  accessToken = next.accessToken;
  knownRefreshToken = next.refreshToken;
  localStorage.setItem(REFRESH_KEY, next.refreshToken);
  return next;
}

function forget(): void {
  session = null;
  accessToken = null;
  knownRefreshToken = null;
}

async function problem(response: Response): Promise<ApiError> {
  const body = await response.json().catch(() => ({}));
  return new ApiError(response.status, body.code ?? 'UNKNOWN', body.detail);
}

/**
 * Gets a new access token from the stored refresh token, once across tabs. `stale` is the access token
 * that was refused: when this tab already holds another one (a concurrent request refreshed while this
 * one waited for the lock), that one is used without another refresh.
 */
export async function refresh(stale: string | null = accessToken): Promise<Session> {
  return navigator.locks.request(REFRESH_LOCK, async () => {
    if (session && accessToken && accessToken !== stale) return session;
    const refreshToken = localStorage.getItem(REFRESH_KEY);
    if (!refreshToken) {
      forget();
      throw new ApiError(401, 'UNAUTHENTICATED', 'signed out');
    }
    const response = await fetch(`${__API_URL__}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    if (!response.ok) {
      const error = await problem(response);
      // A 503 is temporary: keep the token. Otherwise the session is over; forget the token, unless
      // another tab has stored a new one meanwhile (a fresh sign-in must survive).
      if (response.status !== 503 && localStorage.getItem(REFRESH_KEY) === refreshToken) {
        localStorage.removeItem(REFRESH_KEY);
      }
      forget();
      throw error;
    }
    return keep(await response.json());
  });
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Sign-up and sign-in send no token and must not trigger a refresh. */
  anonymous?: boolean;
}

/**
 * Sends one request; answers the Response when it is 2xx, throws ApiError otherwise. A 401
 * TOKEN_EXPIRED is refreshed and retried once; a 401 UNAUTHENTICATED is retried once too when another
 * tab has stored a newer session; any other 401 means signed out (listeners are told).
 */
export async function request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  let sentWith: string | null = null;
  const send = () => {
    sentWith = options.anonymous ? null : accessToken;
    return fetch(`${__API_URL__}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(sentWith ? { Authorization: `Bearer ${sentWith}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  };
  let response = await send();
  if (response.status === 401 && !options.anonymous) {
    const error = await problem(response);
    const stored = localStorage.getItem(REFRESH_KEY);
    const newerElsewhere = stored !== null && stored !== knownRefreshToken;
    if (error.code !== 'TOKEN_EXPIRED' && !newerElsewhere) return signedOut(error);
    try {
      await refresh(sentWith);
    } catch (refreshError) {
      if (refreshError instanceof ApiError && refreshError.status === 401) return signedOut(refreshError);
      throw refreshError;
    }
    response = await send();
    if (response.status === 401) return signedOut(await problem(response));
  }
  if (!response.ok) throw await problem(response);
  return response;
}

function signedOut(reason: ApiError): never {
  forget();
  for (const listener of signedOutListeners) listener(reason);
  throw reason;
}

export async function signUp(email: string, password: string): Promise<Session> {
  const response = await request('POST', '/api/auth/signup', { body: { email, password }, anonymous: true });
  return keep(await response.json());
}

export async function signIn(email: string, password: string): Promise<Session> {
  const response = await request('POST', '/api/auth/signin', { body: { email, password }, anonymous: true });
  return keep(await response.json());
}

/** Every session of the account ends, this one too; the API answers with a new one, which we keep. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<Session> {
  const response = await request('POST', '/api/auth/password', { body: { currentPassword, newPassword } });
  return keep(await response.json());
}

/** Ends this session on the API (every tab of this origin shares it) and forgets its tokens. */
export async function signOut(): Promise<void> {
  try {
    await request('POST', '/api/auth/signout');
  } finally {
    localStorage.removeItem(REFRESH_KEY);
    forget();
  }
}

/** For the browser test only: replace the in-memory access token (e.g. with an expired one). */
export function setAccessTokenForTest(token: string): void {
  accessToken = token;
}
