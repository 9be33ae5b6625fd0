// The client package as published: its package.json, what `npm pack` would put in the tarball, and an
// app in its own project using it — the package installed under node_modules (built here into a temp
// directory exactly as `npm run client:build` builds client/dist), compiled with `tsc --strict` under
// the tsconfig `tsc --init` writes (nodenext), and imported by Node. The app's `@ts-expect-error` lines
// must be real type errors.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientModule, CLIENT_DIR } from '../../scripts/lib/client-bundle.ts';
import { ROOT } from '../../scripts/lib/migrations.ts';

const run = promisify(execFile);
const manifest = JSON.parse(readFileSync(join(CLIENT_DIR, 'package.json'), 'utf8'));
const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const APP = `
import { ApiError, createTaskApi, NetworkError, type Task, TaskConflictError } from '@task-api/client';
import type { paths } from '@task-api/client/openapi';

const api = createTaskApi({ baseUrl: 'https://task-api.example.test', storage: 'memory' });

export async function titles(): Promise<string[]> {
  const page = await api.tasks.list({ status: 'pending', limit: 20 });
  return page.items.map((task: Task) => task.title);
}

export async function rename(id: number, title: string): Promise<string> {
  try {
    return (await api.tasks.update(id, { title })).title;
  } catch (error) {
    if (error instanceof TaskConflictError) return error.task.title;
    if (error instanceof ApiError && error.code === 'NOT_FOUND') return '';
    if (error instanceof NetworkError) return 'offline';
    throw error;
  }
}

export async function signIn(): Promise<string | null> {
  const session = await api.auth.signIn({ email: 'ada@example.test', password: 'a password' });
  const unsubscribe = api.auth.onChange((event) => {
    const known: 'SIGNED_IN' | 'TOKEN_REFRESHED' | 'SIGNED_OUT' | 'USER_UPDATED' = event;
    void known;
  });
  unsubscribe();
  return session.user.email;
}

export async function raw(): Promise<number | undefined> {
  const { data } = await api.raw.GET('/api/tasks/{id}', { params: { path: { id: 1 } } });
  return data?.id;
}

export type TaskPath = keyof paths;

// @ts-expect-error the owner is implied by the token: a new task cannot name it
void api.tasks.create({ title: 'x', userId: 'someone' });
// @ts-expect-error a status the API does not know
void api.tasks.list({ status: 'done' });
// @ts-expect-error no such storage
void createTaskApi({ baseUrl: 'https://x.test', storage: 'session' });
`;

describe('the client package as published', () => {
  let dir: string;
  let installed: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'task-api-client-package-'));
    installed = join(dir, 'node_modules', '@task-api', 'client');
    mkdirSync(installed, { recursive: true });
    cpSync(join(CLIENT_DIR, 'package.json'), join(installed, 'package.json'));
    for (const file of ['openapi.d.ts', 'README.md']) cpSync(join(CLIENT_DIR, file), join(installed, file));
    await buildClientModule(join(installed, 'dist', 'index.js'));
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    await run(tsc, [
      '-p',
      join(CLIENT_DIR, 'tsconfig.json'),
      '--emitDeclarationOnly',
      '--outDir',
      join(installed, 'dist'),
    ]);
    // Its dependency, as npm would install it beside it (with openapi-fetch's own).
    for (const name of ['openapi-fetch', 'openapi-typescript-helpers']) {
      symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
    }
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('package.json: the root version, ESM with types, side-effect free, openapi-fetch its only dependency', () => {
    expect(manifest.name).toBe('@task-api/client');
    expect(manifest.version).toBe(root.version);
    expect(manifest.private).toBeUndefined();
    expect(manifest.type).toBe('module');
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(Object.keys(manifest.exports['.'])[0]).toBe('types'); // resolvers take the first match
    expect(manifest.dependencies).toEqual({ 'openapi-fetch': root.devDependencies['openapi-fetch'] });
    expect(manifest.devDependencies).toBeUndefined();
  });

  it('npm pack would publish the built module, its declarations, the OpenAPI types, the README and nothing else', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: installed });
    const files = (JSON.parse(stdout)[0].files as Array<{ path: string }>).map((file) => file.path).sort();
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('openapi.d.ts');
    expect(files).toContain('package.json');
    expect(files.filter((file) => !/^dist\/[\w-]+\.(js|d\.ts)$/.test(file))).toEqual([
      'README.md',
      'openapi.d.ts',
      'package.json',
    ]);
  });

  it('an app in its own project type-checks against it under a default strict tsconfig', async () => {
    writeFileSync(join(dir, 'app.ts'), APP);
    cpSync(join(ROOT, 'test', 'consumer', 'tsconfig.json'), join(dir, 'tsconfig.json'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    // DOM for fetch, Request and Response, as a browser app has.
    const result = await run(tsc, ['-p', dir, '--noEmit', '--strict', '--lib', 'esnext,dom'], { cwd: dir }).catch(
      (error) => error,
    );
    expect(result.stdout).toBe('');
  });

  it('the module loads with only its dependency beside it', async () => {
    writeFileSync(
      join(dir, 'load.mjs'),
      `import { createTaskApi, ApiError } from '@task-api/client';
       const api = createTaskApi({ baseUrl: 'https://x.test', storage: 'memory' });
       console.log(JSON.stringify([Object.keys(api).sort(), Object.keys(api.tasks).sort(), typeof ApiError]));`,
    );
    const { stdout } = await run(process.execPath, [join(dir, 'load.mjs')], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual([
      ['auth', 'raw', 'tasks'],
      ['changes', 'complete', 'create', 'get', 'list', 'remove', 'replace', 'subscribe', 'update', 'version'],
      'function',
    ]);
  });
});
