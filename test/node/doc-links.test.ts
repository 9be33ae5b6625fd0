// README.md and docs/*.md: every relative link points at a file or folder of this repository, and every
// #anchor at a heading of its target, by GitHub's slug rules. Links to web pages (http, https, mailto) are
// not followed. The README stays a front door: at most 200 lines.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const README_MAX_LINES = 200;

const documents = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** The lines outside fenced code blocks, with inline code spans blanked (neither holds links or headings). */
function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = line.match(/^\s*(`{3,}|~{3,})/)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    if (marker) {
      fence = marker;
      return '';
    }
    return line.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length));
  });
}

/** GitHub's heading id: lower case, punctuation dropped except '-' and '_', each space a '-'. */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading counts by its text
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a file's headings get on GitHub, a repeated heading numbered -1, -2, … */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = line.match(/^\s*(`{3,}|~{3,})/)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const heading = line.match(/^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

interface Link {
  document: string;
  line: number;
  target: string;
}

function linksOf(document: string): Link[] {
  const lines = proseLines(readFileSync(join(ROOT, document), 'utf8'));
  return lines.flatMap((text, index) =>
    [...text.matchAll(/!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => ({
      document,
      line: index + 1,
      target: match[1],
    })),
  );
}

const isWebLink = (target: string) => /^(?:https?:|mailto:)/i.test(target);

const relativeLinks = documents.flatMap(linksOf).filter((link) => !isWebLink(link.target));

describe('documentation links', () => {
  it('reads README.md and docs/*.md, which link to each other', () => {
    expect(documents).toContain('docs/API.md');
    expect(relativeLinks.length).toBeGreaterThan(0);
  });

  it('keeps README.md to at most 200 lines', () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\n$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it.each(documents)('%s: every relative link names a file or folder inside the repository', (document) => {
    const broken: string[] = [];
    for (const link of relativeLinks.filter((entry) => entry.document === document)) {
      const [path] = link.target.split('#');
      if (path === '') continue; // an anchor in the same file: checked below
      if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
        broken.push(`${document}:${link.line} ${link.target} (a scheme other than http, https or mailto)`);
        continue;
      }
      const target = resolve(ROOT, dirname(document), decodeURIComponent(path));
      const inside = relative(ROOT, target);
      if (inside === '..' || inside.startsWith(`..${sep}`)) {
        broken.push(`${document}:${link.line} ${link.target} (outside the repository)`);
      } else if (!existsSync(target)) {
        broken.push(`${document}:${link.line} ${link.target} (no such file or folder)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(documents)('%s: every #anchor names a heading of its target', (document) => {
    const broken: string[] = [];
    for (const link of relativeLinks.filter((entry) => entry.document === document)) {
      const hash = link.target.indexOf('#');
      if (hash === -1) continue;
      const path = link.target.slice(0, hash);
      const anchor = decodeURIComponent(link.target.slice(hash + 1));
      const target = path === '' ? join(ROOT, document) : resolve(ROOT, dirname(document), decodeURIComponent(path));
      if (!target.endsWith('.md') || !existsSync(target) || !statSync(target).isFile()) {
        broken.push(`${document}:${link.line} ${link.target} (an anchor into something that is not a markdown file)`);
      } else if (!anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${document}:${link.line} ${link.target} (no heading with that anchor)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('slugs headings the way GitHub does', () => {
    expect(githubSlug('Bring your own sign-in: Better Auth and Neon Auth')).toBe(
      'bring-your-own-sign-in-better-auth-and-neon-auth',
    );
    expect(githubSlug('Retrying a create: Idempotency-Key')).toBe('retrying-a-create-idempotency-key');
    expect(githubSlug('`TRUSTED_ISSUERS` and [links](x.md)')).toBe('trusted_issuers-and-links');
    expect([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n## A\n')]).toEqual(['a', 'a-1', 'a-2']);
  });
});
