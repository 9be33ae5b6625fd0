// The preview workflow copies production data into a Neon branch and runs the pull request's code on
// it: it must never do that for a fork's PR, and never without a maintainer's approval (the `preview`
// environment, which holds NEON_API_KEY and requires reviewers; see README "Deploy").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/lib/migrations.ts';

interface Job {
  if?: string;
  environment?: string | { name: string };
  steps?: unknown[];
}

const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'preview.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};

describe('preview database workflow', () => {
  it('runs on pull_request (the PR code gets no secrets by itself), not pull_request_target', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
  });

  const jobs = Object.entries(workflow.jobs).filter(([, job]) => JSON.stringify(job).includes('secrets.'));
  it('has jobs that use Neon secrets', () => expect(jobs.length).toBeGreaterThan(0));

  for (const [name, job] of jobs) {
    it(`${name}: only for PRs from this repository, in the approval-gated preview environment`, () => {
      expect(job.if?.replace(/\s+/g, ' ')).toContain(
        'github.event.pull_request.head.repo.full_name == github.repository',
      );
      const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
      expect(environment).toBe('preview');
    });
  }
});
