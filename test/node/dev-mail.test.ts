// Password reset against `npm run dev` itself (embedded PostgreSQL, wrangler dev, the local outbox):
// the reset email lands as an .eml file under .data/mail/, its link carries the token in the fragment,
// and confirming it changes the password. The dev server runs in a state directory of its own.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { ROOT } from '../../scripts/lib/migrations.ts';

// What `npm run dev` runs (scripts/dev.ts), with the state directory moved out of the repository.
const RUN_DEV = `import { runDev } from ${JSON.stringify(join(ROOT, 'scripts', 'lib', 'run-dev.ts'))};
process.exit(await runDev({ stateDir: process.env.DEV_STATE_DIR }));
`;

describe('npm run dev: email goes to .data/mail/', () => {
  let dir: string;
  let dev: ChildProcess;
  let api: string;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'task-api-devmail-'));
    chmodSync(dir, 0o755); // as root, embedded PostgreSQL runs as the `postgres` user, which must enter it
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    const script = join(dir, 'run-dev.mts');
    writeFileSync(script, RUN_DEV);
    dev = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [script], {
      cwd: ROOT,
      detached: true, // its own process group: stopping it stops wrangler and PostgreSQL too
      env: { ...process.env, DEV_STATE_DIR: dir, PORT: String(port), LOCAL_PG_PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    dev.stdout?.on('data', (chunk) => (output += chunk));
    dev.stderr?.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 120_000;
    for (;;) {
      const ready = await fetch(`${api}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`npm run dev did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 150_000);

  afterAll(async () => {
    if (dev?.pid) {
      try {
        process.kill(-dev.pid, 'SIGTERM');
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 2000));
      try {
        process.kill(-dev.pid, 'SIGKILL');
      } catch {}
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown) =>
    fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '10.88.0.1' },
      body: JSON.stringify(body),
    });

  async function mailTo(address: string, subject: RegExp): Promise<string> {
    const mailDir = join(dir, '.data', 'mail');
    for (let i = 0; i < 60; i++) {
      if (existsSync(mailDir)) {
        for (const name of readdirSync(mailDir).filter((file) => file.endsWith('.eml'))) {
          const text = readFileSync(join(mailDir, name), 'utf8');
          if (text.includes(address) && subject.test(text)) return text;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`no email to ${address} in .data/mail/:\n${output}`);
  }

  it('a reset email is written as .eml with a #token= link, the link is printed, and confirming it works', async () => {
    const email = `devmail-${Date.now()}@example.test`;
    expect((await post('/api/auth/signup', { email, password: 'first password' })).status).toBe(201);
    expect((await post('/api/auth/password-reset', { email })).status).toBe(202);
    const message = await mailTo(email, /reset/i);
    const token = message.match(/\/reset-password#token=([A-Za-z0-9_-]+)/)?.[1];
    expect(token).toBeTruthy();
    expect(output).toContain('.data/mail/');
    const confirm = await post('/api/auth/password-reset/confirm', { token, newPassword: 'second password' });
    expect(confirm.status).toBe(204);
    expect((await post('/api/auth/signin', { email, password: 'second password' })).status).toBe(200);
    expect((await post('/api/auth/signin', { email, password: 'first password' })).status).toBe(401);
  }, 60_000);
});
