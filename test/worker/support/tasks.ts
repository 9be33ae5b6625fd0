// Task helpers: an authenticated client for one user.
import { expect } from 'vitest';
import type { TaskDto } from '../../../src/tasks/schemas.ts';
import { api } from './api.ts';
import { bearer, signUp } from './auth.ts';

export interface Client {
  userId: string;
  token: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  create(fields?: Partial<Omit<TaskDto, 'id' | 'createdAt' | 'updatedAt'>>): Promise<TaskDto>;
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
      return (await response.json()) as TaskDto;
    },
  };
}
