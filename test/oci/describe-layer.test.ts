import { describe, expect, it } from 'vitest';
import { buildToolDescription, parseAnnotationFlags, parseToolDescription, summarizeComponent } from '../../src/oci/describe-layer.js';

const tool = { name: 'greet', description: 'Says hello.', inputSchema: { type: 'object' }, outputSchema: { type: 'object' } };

describe('summarizeComponent', () => {
  it.each([
    { docs: 'Utilities that say hello.', names: ['a'], want: 'Utilities that say hello.' },
    { docs: '  Line one.\n  Line two.  ', names: [], want: 'Line one. Line two.' },
    { docs: undefined, names: ['greet'], want: 'WebAssembly component offering 1 tool: greet' },
    { docs: '   ', names: ['a', 'b'], want: 'WebAssembly component offering 2 tools: a, b' },
    { docs: undefined, names: 'abcdefghij'.split(''), want: 'WebAssembly component offering 10 tools: a, b, c, d, e, f, g, h and 2 more' },
  ])('$want', ({ docs, names, want }) => {
    expect(summarizeComponent(docs, names)).toBe(want);
  });

  it('clips long docs to one registry-friendly line', () => {
    const s = summarizeComponent('x'.repeat(2000), []);
    expect(s.length).toBe(512);
    expect(s.endsWith('…')).toBe(true);
  });
});

describe('tool-description layer', () => {
  it('round-trips and drops fields that are not part of the document', () => {
    const doc = buildToolDescription('world w {}', [{ ...tool, extra: 1 } as typeof tool]);
    expect(doc).toEqual({ schemaVersion: 1, wit: 'world w {}', tools: [tool] });
    expect(parseToolDescription(Buffer.from(JSON.stringify(doc)), 'x')).toEqual(doc);
  });

  it.each([
    ['not json', '{'],
    ['wrong version', JSON.stringify({ schemaVersion: 2, wit: '', tools: [] })],
    ['no wit', JSON.stringify({ schemaVersion: 1, tools: [] })],
    ['tool without schemas', JSON.stringify({ schemaVersion: 1, wit: '', tools: [{ name: 'a', description: '' }] })],
  ])('refuses %s', (_why, text) => {
    expect(() => parseToolDescription(text, 'layer sha256:1')).toThrow(/layer sha256:1/);
  });
});

describe('parseAnnotationFlags', () => {
  it('splits at the first =, keeping = in values and empty values', () => {
    expect(parseAnnotationFlags(['a=b', 'url=https://x/?q=1', 'empty='])).toEqual({ a: 'b', url: 'https://x/?q=1', empty: '' });
  });
  it.each([['noequals'], ['=value']])('refuses %s', (flag) => {
    expect(() => parseAnnotationFlags([flag])).toThrow(/must be key=value/);
  });
  it('refuses a key given twice', () => {
    expect(() => parseAnnotationFlags(['k=1', 'k=2'])).toThrow(/given twice/);
  });
});
