// Runs squawk (PostgreSQL migration linter) from its platform package. The `squawk-cli` wrapper
// cannot be locked here: its optional binaries for other platforms are missing from the registry
// this project installs from, which makes `npm ci` refuse the lockfile. CI and GitHub runners are
// linux-x64; elsewhere run `npx squawk-cli@2.66.0 …` with the same arguments.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const platformPackage = `@squawk-cli/${process.platform}-${process.arch}`;
let binary;
try {
  binary = join(dirname(createRequire(import.meta.url).resolve(`${platformPackage}/package.json`)), 'bin', 'squawk');
} catch {
  console.error(
    `db:lint: ${platformPackage} is not installed; run: npx squawk-cli@2.66.0 ${process.argv.slice(2).join(' ')}`,
  );
  process.exit(2);
}
const { status } = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
process.exit(status ?? 1);
