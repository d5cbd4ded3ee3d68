import { describe, expect, it } from 'vitest';
import { mergeSections } from '../../bench/run.js';

const doc = ['# Benchmark results', '', '- date: old', '', '## A', '', 'a old', '', '## B', '', 'b old', ''].join('\n');

describe('mergeSections', () => {
  it('replaces a section in place, keeps the others and stamps the new one', () => {
    const out = mergeSections(doc, ['## A\n\na new\n'], '_stamp_');
    expect(out).toBe(['# Benchmark results', '', '- date: old', '', '## A', '', '_stamp_', '', 'a new', '', '## B', '', 'b old', ''].join('\n'));
  });

  it('replaces the last section up to the end and appends one it does not find', () => {
    const out = mergeSections(doc, ['## B\n\nb new', '## C\n\nc'], '_s_');
    expect(out).toContain('## A\n\na old\n\n## B\n\n_s_\n\nb new\n\n## C\n\n_s_\n\nc\n');
    expect(out).not.toContain('b old');
  });

  it('matches whole titles only', () => {
    const out = mergeSections(doc, ['## A longer\n\nx'], '_s_');
    expect(out).toContain('a old');
    expect(out.endsWith('## A longer\n\n_s_\n\nx\n')).toBe(true);
  });
});
