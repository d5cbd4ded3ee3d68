import { describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION, describeFunction, witTypeToString } from '../../src/component/describe.js';
import type { WitFunction, WitType } from '../../src/component/wit-types.js';

const s32: WitType = { kind: 's32' };
const str: WitType = { kind: 'string' };

describe('describeFunction', () => {
  it.each<[string, WitFunction, string | undefined, string]>([
    [
      'result with string error',
      {
        name: 'divide',
        kind: 'freestanding',
        params: [
          { name: 'a', type: s32 },
          { name: 'b', type: s32 },
        ],
        result: { kind: 'result', ok: s32, err: str },
      },
      'test:types/echo@0.1.0',
      'Calls `divide` from interface test:types/echo: takes a (s32), b (s32); returns s32 or an error string.',
    ],
    ['world-level, no params, no result', { name: 'ping', kind: 'freestanding', params: [] }, undefined, 'Calls `ping`: takes no arguments; returns nothing.'],
    [
      'named types and typed error',
      {
        name: 'find',
        kind: 'freestanding',
        params: [{ name: 'q', type: { kind: 'list', element: str } }],
        result: {
          kind: 'result',
          ok: { kind: 'option', inner: { kind: 'record', name: 'person', fields: [] } },
          err: { kind: 'enum', name: 'error-code', cases: ['x'] },
        },
      },
      'a:b/c',
      'Calls `find` from interface a:b/c: takes q (list<string>); returns option<person> or an error (error-code).',
    ],
    [
      'constructor',
      { name: 'counter', kind: 'constructor', resource: 'counter', params: [{ name: 'start', type: { kind: 'u64' } }] },
      'a:b/c',
      'Creates a `counter` from interface a:b/c: takes start (u64); returns a `counter` handle.',
    ],
    [
      'method hides self',
      { name: 'get', kind: 'method', resource: 'counter', params: [{ name: 'self', type: { kind: 'borrow', resource: 'counter' } }], result: { kind: 'u64' } },
      'a:b/c',
      'Calls `get` on a `counter` handle (self) from interface a:b/c: takes no arguments; returns u64.',
    ],
    ['docs win', { name: 'f', kind: 'freestanding', params: [], docs: '  Adds two numbers.\n' }, undefined, 'Adds two numbers.'],
  ])('%s', (_label, fn, iface, want) => {
    expect(describeFunction(fn, iface)).toBe(want);
  });

  it('cuts very long docs', () => {
    const docs = 'This sentence is long enough. '.repeat(100);
    const d = describeFunction({ name: 'f', kind: 'freestanding', params: [], docs });
    expect(d.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    expect(d.endsWith('enough....')).toBe(true);
  });
});

describe('witTypeToString', () => {
  it.each<[WitType, string]>([
    [{ kind: 'tuple', elements: [s32, str] }, 'tuple<s32, string>'],
    [{ kind: 'result', err: str }, 'result<_, string>'],
    [{ kind: 'variant', cases: [{ name: 'a' }, { name: 'b', type: s32 }] }, 'variant { a, b(s32) }'],
    [{ kind: 'borrow', resource: 'file' }, 'borrow<file>'],
    [{ kind: 'own', resource: 'file' }, 'file'],
  ])('%j', (t, want) => expect(witTypeToString(t)).toBe(want));
});
