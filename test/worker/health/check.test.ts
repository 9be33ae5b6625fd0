// The health check's per-isolate cache (src/health/check.ts), on a clock the test controls.
import { describe, expect, it, vi } from 'vitest';
import { checkDatabase, HEALTHY_FOR_MS } from '../../../src/health/check.ts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('checkDatabase', () => {
  it('a healthy result is reused within the window and checked again once it expires', async () => {
    const time = clock();
    const key = `db-${crypto.randomUUID()}`;
    const probe = vi.fn(async () => undefined);
    expect(await checkDatabase(key, probe, time.now)).toBe('checked');
    time.advance(HEALTHY_FOR_MS - 1);
    expect(await checkDatabase(key, probe, time.now)).toBe('cached');
    expect(probe).toHaveBeenCalledTimes(1);
    time.advance(1);
    expect(await checkDatabase(key, probe, time.now)).toBe('checked');
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it('an outage is reported by the first check after the window, and again on every check until it ends', async () => {
    const time = clock();
    const key = `db-${crypto.randomUUID()}`;
    let up = true;
    const probe = vi.fn(async () => {
      if (!up) throw new Error('database down');
    });
    await checkDatabase(key, probe, time.now);
    up = false; // goes down right after a good check
    time.advance(HEALTHY_FOR_MS - 1);
    expect(await checkDatabase(key, probe, time.now)).toBe('cached'); // at most the window is stale
    time.advance(1);
    await expect(checkDatabase(key, probe, time.now)).rejects.toThrow('database down');
    // A failure is never cached: the very next request checks again.
    await expect(checkDatabase(key, probe, time.now)).rejects.toThrow('database down');
    up = true;
    expect(await checkDatabase(key, probe, time.now)).toBe('checked');
    expect(probe).toHaveBeenCalledTimes(4);
  });

  it('each database is its own entry', async () => {
    const time = clock();
    await checkDatabase(`a-${crypto.randomUUID()}`, async () => undefined, time.now);
    const other = vi.fn(async () => undefined);
    expect(await checkDatabase(`b-${crypto.randomUUID()}`, other, time.now)).toBe('checked');
    expect(other).toHaveBeenCalledTimes(1);
  });
});
