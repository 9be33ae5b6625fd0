// `npm run bundle:check [-- --env production --max-gzip-kib 150]`
// Builds the Worker as `wrangler deploy --dry-run` does (nothing is uploaded) and fails when its gzip size,
// as wrangler prints it ("Total Upload: … KiB / gzip: … KiB"), is over the budget. Run by .ci/run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quietWranglerEnv } from './lib/wrangler-env.ts';

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'production' },
    'max-gzip-kib': { type: 'string', default: '150' },
  },
});
const budget = Number(values['max-gzip-kib']);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const outdir = mkdtempSync(join(tmpdir(), 'task-api-bundle-'));
try {
  const dryRun = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'wrangler'),
    ['deploy', '--dry-run', '--outdir', outdir, '--env', values.env ?? 'production'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: quietWranglerEnv(),
    },
  );
  const sizes = dryRun.stdout.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
  if (dryRun.status !== 0 || !sizes) {
    console.error(`bundle: wrangler deploy --dry-run failed (exit ${dryRun.status})\n${dryRun.stdout}${dryRun.stderr}`);
    process.exit(1);
  }
  const gzip = Number(sizes[2]);
  console.log(`bundle (--env ${values.env}): ${sizes[0]}; budget ${budget} KiB gzip`);
  if (gzip > budget) {
    console.error(`bundle: ${gzip} KiB gzip is over the ${budget} KiB budget (see README, Performance)`);
    process.exit(1);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
