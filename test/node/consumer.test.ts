// The typed clients work for an app in its own repository: test/consumer is such an app (only hono and
// openapi-fetch, the generated files in client/, and the tsconfig `tsc --init` writes), compiled with
// `tsc --strict`. Its `@ts-expect-error` lines make the compile fail if the types stopped checking bodies.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/migrations.ts';

const run = promisify(execFile);

describe('client types in a consumer project', () => {
  it('test/consumer type-checks with hc<AppType> and openapi-fetch under a default strict tsconfig', async () => {
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const { stdout } = await run(tsc, ['-p', join(ROOT, 'test', 'consumer'), '--noEmit', '--strict'], { cwd: ROOT });
    expect(stdout).toBe('');
  });
});
