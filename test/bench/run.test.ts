import { describe, expect, it } from 'vitest';
import { replaceSections } from '../../bench/run.js';

const DOC = '# Benchmark results\n\n- date: old\n\n## A\n\nold a\n\n## B\n\nold b\n';

describe('replaceSections', () => {
  it('replaces a section in the middle, keeping the others, and stamps it with its own run', () => {
    const out = replaceSections(DOC, ['## A\n\nnew a'], '- date: new');
    expect(out).toBe('# Benchmark results\n\n- date: old\n\n## A\n\n_Run on its own with `bench/run.ts --write`:_\n- date: new\n\nnew a\n\n## B\n\nold b\n');
  });

  it('replaces the last section and appends an unknown one', () => {
    const out = replaceSections(DOC, ['## B\n\nnew b', '## C\n\nc'], '- m');
    expect(out).toContain('## A\n\nold a\n\n## B\n\n_Run on its own');
    expect(out).not.toContain('old b');
    expect(out.trimEnd().endsWith('## C\n\n_Run on its own with `bench/run.ts --write`:_\n- m\n\nc')).toBe(true);
  });
});
