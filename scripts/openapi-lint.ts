// `npm run openapi:lint`: the OpenAPI document exactly as the Worker serves it at /api/openapi.json,
// checked by the linters its users run: Spectral with spectral:oas and the OWASP API Security ruleset
// (.spectral.yaml) and Redocly CLI with its recommended rules (redocly.yaml). Both run offline, their
// rulesets coming from node_modules. It fails on any error or warning: a finding is fixed in the routes
// and schemas, or its rule is switched off in the ruleset file, with the reason beside it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/migrations.ts';
import { servedOpenApiDocument } from './lib/served-openapi.ts';

interface Finding {
  severity: 'error' | 'warning' | 'info';
  rule: string;
  where: string;
  message: string;
}

function run(bin: string, args: string[], env: Record<string, string> = {}): unknown {
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', bin), args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  try {
    return JSON.parse(result.stdout);
  } catch {
    // No report at all: the tool itself failed (a broken ruleset file, a crash).
    throw new Error(`${bin} failed (exit ${result.status})\n${result.stdout}${result.stderr}`);
  }
}

const SPECTRAL_SEVERITY = ['error', 'warning', 'info', 'info'] as const; // error, warn, info, hint

function spectral(file: string): Finding[] {
  const results = run('spectral', [
    'lint',
    '--quiet',
    '--ruleset',
    join(ROOT, '.spectral.yaml'),
    '--format',
    'json',
    file,
  ]) as {
    code: string;
    path: string[];
    message: string;
    severity: number;
  }[];
  return results.map((result) => ({
    severity: SPECTRAL_SEVERITY[result.severity] ?? 'error',
    rule: result.code,
    where: result.path.join('.'),
    message: result.message,
  }));
}

function redocly(file: string): Finding[] {
  const report = run(
    'redocly',
    ['lint', '--config', join(ROOT, 'redocly.yaml'), '--lint-config', 'error', '--format', 'json', file],
    { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  ) as {
    problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
  };
  return report.problems.map((problem) => ({
    severity: problem.severity === 'error' ? 'error' : problem.severity === 'warn' ? 'warning' : 'info',
    rule: problem.ruleId,
    where: decodeURIComponent(problem.location[0]?.pointer ?? '')
      .replace(/^#\//, '')
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .join('.'),
    message: problem.message,
  }));
}

// Under the project (test-artifacts/ is git-ignored), not the system's temporary directory: Spectral
// applies the `overrides` of .spectral.yaml only to files below the ruleset's own directory.
mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
const dir = mkdtempSync(join(ROOT, 'test-artifacts', 'openapi-lint-'));
let failed = false;
try {
  const file = join(dir, 'openapi.json');
  writeFileSync(file, `${JSON.stringify(await servedOpenApiDocument(), null, 2)}\n`);
  for (const [name, lint] of [
    ['spectral (spectral:oas + OWASP API Security 2023)', spectral],
    ['redocly (recommended)', redocly],
  ] as const) {
    const findings = lint(file);
    const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
    for (const finding of findings) {
      console.log(`  ${finding.severity.padEnd(7)} ${finding.rule}  ${finding.where}  ${finding.message}`);
    }
    console.log(`${name}: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos`);
    if (count('error') + count('warning') > 0) failed = true;
  }
} catch (error) {
  console.error(`openapi:lint: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) {
  console.error(
    'openapi:lint: fix the findings above, or switch the rule off in .spectral.yaml / redocly.yaml with its reason',
  );
  process.exitCode = 1;
}
