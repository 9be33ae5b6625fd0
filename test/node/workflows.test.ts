// The preview workflow copies a Neon branch and runs the pull request's code on it: it must never do that
// for a fork's PR, never without a maintainer's approval (the `preview` environment, which holds
// NEON_API_KEY and requires reviewers; see README "Deploy"), and never on a copy of production's personal
// data. Deleting the copy when the PR closes must not wait for anyone, and must run no PR code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/lib/migrations.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}

interface Job {
  if?: string;
  environment?: string | { name: string };
  steps?: Step[];
}

const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'preview.yml'), 'utf8')) as {
  on: Record<string, { types?: string[] }>;
  jobs: Record<string, Job>;
};

const condition = (job: Job) => job.if?.replace(/\s+/g, ' ') ?? '';
const environmentOf = (job: Job) => (typeof job.environment === 'string' ? job.environment : job.environment?.name);
/** A job that checks out or runs anything: the PR's code, under pull_request. */
const runsCode = (job: Job) => (job.steps ?? []).some((step) => step.run || step.uses?.startsWith('actions/checkout'));
const jobs = Object.entries(workflow.jobs).filter(([, job]) => JSON.stringify(job).includes('secrets.'));

describe('preview database workflow', () => {
  it('PR code runs on pull_request (it gets no secrets by itself); only closing is pull_request_target', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'pull_request_target']);
    expect(workflow.on.pull_request.types).not.toContain('closed');
    expect(workflow.on.pull_request_target.types).toEqual(['closed']);
  });

  it('has jobs that use Neon secrets', () => expect(jobs.length).toBeGreaterThan(0));

  for (const [name, job] of jobs) {
    it(`${name}: only for PRs from this repository`, () => {
      expect(condition(job)).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    });

    if (runsCode(job)) {
      it(`${name}: runs PR code, so only on pull_request and in the approval-gated preview environment`, () => {
        expect(condition(job)).toContain("github.event_name == 'pull_request'");
        expect(environmentOf(job)).toBe('preview');
      });
    } else {
      it(`${name}: runs no code of its own, only pinned Neon actions`, () => {
        for (const step of job.steps ?? []) expect(step.uses).toMatch(/^neondatabase\/[\w-]+@v\d+$/);
      });
    }
  }

  it('branches preview databases from a parent without production data: staging, or a repository variable', () => {
    const creates = Object.values(workflow.jobs)
      .flatMap((job) => job.steps ?? [])
      .filter((step) => step.uses?.startsWith('neondatabase/create-branch-action@'));
    expect(creates.length).toBeGreaterThan(0);
    // Without `parent` the action branches from the project's default branch: production.
    for (const step of creates) {
      expect(step.with?.parent).toMatch(/^\$\{\{ vars\.NEON_PREVIEW_PARENT_BRANCH \|\| 'staging' \}\}$/);
    }
  });

  it('deletes the branch when the PR closes, with no approval to wait for and no PR code', () => {
    const deleters = Object.entries(workflow.jobs).filter(([, job]) =>
      (job.steps ?? []).some((step) => step.uses?.startsWith('neondatabase/delete-branch-action@')),
    );
    expect(deleters.length).toBe(1);
    const [[, job]] = deleters;
    expect(condition(job)).toContain("github.event_name == 'pull_request_target'");
    expect(condition(job)).toContain("github.event.action == 'closed'");
    // `preview` requires reviewers: the cleanup key lives in an environment that does not.
    expect(environmentOf(job)).not.toBe('preview');
    expect(runsCode(job)).toBe(false);
    const deletion = job.steps?.find((step) => step.uses?.startsWith('neondatabase/delete-branch-action@'));
    expect(deletion?.with?.branch).toMatch(/^preview\/pr-\$\{\{ github\.event\.number \}\}$/);
  });
});
