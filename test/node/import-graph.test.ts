// The shape of src/: no import cycles, and the layers point one way (auth does not reach into tasks;
// neutral helpers in src/lib import nothing of the app). Read from the sources themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** file (relative to src) → the src files it imports, type-only imports included. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)[^'"]*?from '(\.[^']+)';/gms)].map((match) =>
      relative(SRC, resolve(dirname(file), match[1])),
    );
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('import graph of src/', () => {
  const graph = importGraph();

  it('reads every file and finds the imports (a control)', () => {
    expect(graph.size).toBeGreaterThan(30);
    expect(graph.get('app.ts')).toContain('tasks/routes/index.ts');
  });

  it('has no import cycle', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('the cycle finder finds one when there is one (a control)', () => {
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
  });

  it('auth/ never imports tasks/; lib/ imports nothing of the app', () => {
    for (const [file, targets] of graph) {
      if (file.startsWith('auth/'))
        expect(
          targets.filter((t) => t.startsWith('tasks/')),
          file,
        ).toEqual([]);
      if (file.startsWith('lib/'))
        expect(
          targets.filter((t) => !t.startsWith('lib/')),
          file,
        ).toEqual([]);
    }
  });
});
