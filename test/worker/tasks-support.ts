// Task helpers: an authenticated client for one user.
import { expect } from 'vitest';
import { bearer, signUp } from './auth-support.ts';
import { api } from './support.ts';

export interface TaskBody {
  id: number;
  title: string;
  description: string | null;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Client {
  userId: string;
  token: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  create(fields?: Partial<Omit<TaskBody, 'id' | 'createdAt' | 'updatedAt'>>): Promise<TaskBody>;
}

export async function newClient(): Promise<Client> {
  const { token, userId } = await signUp();
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    api(path, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    userId,
    token,
    request,
    async create(fields = {}) {
      const response = await request('POST', '/api/tasks', { title: 'a task', ...fields });
      expect(response.status).toBe(201);
      return (await response.json()) as TaskBody;
    },
  };
}
