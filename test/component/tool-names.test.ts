import { describe, expect, it } from 'vitest';
import { assignToolNames, baseToolName, componentPrefix, fitToolName } from '../../src/component/tool-names.js';
import type { WitFunction } from '../../src/component/wit-types.js';

const fn = (name: string, extra: Partial<WitFunction> = {}): WitFunction => ({ name, kind: 'freestanding', params: [], ...extra });
const VALID = /^[A-Za-z0-9_-]{1,64}$/;

describe('baseToolName', () => {
  it.each([
    ['world-level kebab -> snake', fn('word-count'), undefined, 'word_count'],
    ['interface, version dropped', fn('echo-string'), 'test:types/echo@0.1.0', 'test_types_echo_echo_string'],
    ['unqualified interface export', fn('add'), 'math', 'math_add'],
    ['uppercase words lowercased', fn('HTTP-get'), 'local:web/client', 'local_web_client_http_get'],
    ['constructor', fn('[constructor]counter', { kind: 'constructor', resource: 'counter-thing' }), 'a:b/c', 'a_b_c_counter_thing_new'],
    ['method', fn('get-value', { kind: 'method', resource: 'counter-thing' }), 'a:b/c', 'a_b_c_counter_thing_get_value'],
    ['static', fn('make', { kind: 'static', resource: 'counter-thing' }), 'a:b/c', 'a_b_c_counter_thing_make'],
  ])('%s', (_label, f, iface, want) => {
    expect(baseToolName(f, iface)).toBe(want);
  });
});

describe('fitToolName', () => {
  it('leaves short names alone', () => expect(fitToolName('word_count')).toBe('word_count'));
  it('cuts long names to 64, keeping the function name last and distinct inputs distinct', () => {
    const a = `${'very_long_namespace_'.repeat(4)}iface_a_compute_checksum`;
    const b = `${'very_long_namespace_'.repeat(4)}iface_b_compute_checksum`;
    const [fa, fb] = [fitToolName(a), fitToolName(b)];
    expect(fa).toHaveLength(64);
    expect(fa).toMatch(VALID);
    expect(fa.endsWith('compute_checksum')).toBe(true);
    expect(fa).not.toBe(fb);
    expect(fitToolName(a)).toBe(fa);
  });
});

describe('componentPrefix', () => {
  it.each([
    ['calc', 'calc'],
    ['my-tool_2', 'my-tool_2'],
  ])('keeps short safe ids: %s', (id, want) => expect(componentPrefix(id)).toBe(want));
  it('hashes ids that are long or need escaping, keeping them apart', () => {
    const a = componentPrefix('ghcr.io/acme/tools');
    const b = componentPrefix('ghcr_io/acme/tools');
    expect(a).toMatch(/^ghcr_io_acme_[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
  });
});

describe('assignToolNames', () => {
  const inputs = [
    { id: 'alpha', tools: ['add', 'local_calc_math_mul'] },
    { id: 'beta', tools: ['add', 'sub'] },
    { id: 'gamma', tools: ['load_component'] },
  ];
  it('keeps unique names, prefixes every user of a shared name, avoids reserved names', () => {
    const names = assignToolNames(inputs, ['load_component']);
    expect(names.get('alpha')).toEqual(['alpha__add', 'local_calc_math_mul']);
    expect(names.get('beta')).toEqual(['beta__add', 'sub']);
    expect(names.get('gamma')).toEqual(['gamma__load_component']);
  });
  it('is independent of input order', () => {
    const a = assignToolNames(inputs);
    const b = assignToolNames([...inputs].reverse());
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
  });
  it('numbers duplicates within one component', () => {
    expect(assignToolNames([{ id: 'x', tools: ['f', 'f'] }]).get('x')).toEqual(['f', 'f_2']);
  });
  it('all names are valid and unique even when everything collides and is long', () => {
    const long = `${'n'.repeat(70)}_fn`;
    const comps = ['a', 'b', 'c'].map((id) => ({ id: `oci://registry.example.com/very/long/path/${id}:1.0`, tools: [long, 'x'] }));
    const all = [...assignToolNames(comps).values()].flat();
    expect(new Set(all).size).toBe(all.length);
    for (const n of all) expect(n).toMatch(VALID);
  });
  it('fails loudly if a prefixed name still collides', () => {
    expect(() =>
      assignToolNames([
        { id: 'a', tools: ['f', 'a__f'] },
        { id: 'b', tools: ['f'] },
      ]),
    ).toThrow(/collides/);
  });
});
