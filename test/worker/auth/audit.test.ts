// Audit lines (SECURITY F35): the email appears only as a keyed hash that cannot be recomputed from a
// list of addresses without the secret, and is not the rate limiter's key either.
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditEmailHash } from '../../../src/auth/audit.ts';
import type { Bindings } from '../../../src/bindings.ts';
import { loadConfig } from '../../../src/config.ts';
import { accountKey } from '../../../src/http/rate-limit.ts';
import { authPostWith, uniqueEmail } from '../support/auth.ts';

afterEach(() => vi.restoreAllMocks());

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('audit lines', () => {
  it('a failed signin for an unknown email logs a keyed hash: stable, not the SHA-256, not the limiter key', async () => {
    const lines: Record<string, unknown>[] = [];
    vi.spyOn(console, 'warn').mockImplementation((line: unknown) => lines.push(JSON.parse(String(line))));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const email = uniqueEmail('audit');
    for (let i = 0; i < 2; i++) {
      const response = await authPostWith({}, '/api/auth/signin', { email, password: 'wrong password' });
      expect(response.status).toBe(401);
    }
    const hashes = lines.filter((line) => line.event === 'signin').map((line) => line.emailHash as string);
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(hashes[1]).toBe(hashes[0]); // correlatable across lines
    const config = loadConfig(env as Bindings);
    expect(hashes[0]).toBe(await auditEmailHash(email, config));
    // Not recomputable from the address alone (the old unkeyed SHA-256 prefix).
    expect(await sha256Hex(email)).not.toContain(hashes[0]);
    // Another key than the rate limiter's.
    expect(await accountKey(email, config)).not.toContain(hashes[0]);
    // Another secret, another hash.
    const other = loadConfig({
      ...(env as Bindings),
      BETTER_AUTH_SECRET: 'another-secret-long-enough-0123456789-abcdef',
    });
    expect(await auditEmailHash(email, other)).not.toBe(hashes[0]);
  });
});
