// WIT printer: table-driven type references and full-document layout for hand-built descriptions.
import { describe, expect, it } from 'vitest';
import { printWit, typeRef, witIdent } from '../../src/component/wit-print.js';
import type { ComponentDescription, WitType } from '../../src/component/wit-types.js';

describe('typeRef', () => {
  const point: WitType = { kind: 'record', name: 'point', fields: [{ name: 'x', type: { kind: 's32' } }] };
  it.each<[string, WitType, string]>([
    ['primitive', { kind: 'u64' }, 'u64'],
    ['list', { kind: 'list', element: { kind: 'u8' } }, 'list<u8>'],
    ['option of named', { kind: 'option', inner: point }, 'option<point>'],
    ['tuple', { kind: 'tuple', elements: [{ kind: 'bool' }, { kind: 'char' }] }, 'tuple<bool, char>'],
    ['result ok+err', { kind: 'result', ok: { kind: 'u32' }, err: { kind: 'string' } }, 'result<u32, string>'],
    ['result err only', { kind: 'result', err: { kind: 'string' } }, 'result<_, string>'],
    ['result ok only', { kind: 'result', ok: { kind: 'u32' } }, 'result<u32>'],
    ['bare result', { kind: 'result' }, 'result'],
    ['own', { kind: 'own', resource: 'counter' }, 'counter'],
    ['borrow', { kind: 'borrow', resource: 'counter' }, 'borrow<counter>'],
    ['keyword-named type', { kind: 'enum', name: 'type', cases: ['a'] }, '%type'],
    ['anonymous record spelled out', { kind: 'record', fields: [{ name: 'a', type: { kind: 'u8' } }] }, 'record { a: u8 }'],
    ['anonymous variant spelled out', { kind: 'variant', cases: [{ name: 'x', type: { kind: 'u8' } }, { name: 'y' }] }, 'variant { x(u8), y }'],
  ])('%s', (_label, t, expected) => {
    expect(typeRef(t)).toBe(expected);
  });

  it('escapes keywords only', () => {
    expect([witIdent('list'), witIdent('my-list'), witIdent('result')]).toEqual(['%list', 'my-list', '%result']);
  });
});

describe('printWit', () => {
  it('prints a world with imports, inline and separate interfaces, resources, named types and docs', () => {
    const shape: WitType = {
      kind: 'variant',
      name: 'shape',
      cases: [{ name: 'dot' }, { name: 'at', type: { kind: 'tuple', name: 'pos', elements: [{ kind: 'f32' }, { kind: 'f32' }] } }],
    };
    const desc: Omit<ComponentDescription, 'wit'> = {
      docs: 'A demo.',
      imports: ['wasi:cli/environment@0.2.3'],
      functions: [{ name: 'hello', kind: 'freestanding', params: [{ name: 'name', type: { kind: 'string' } }], result: { kind: 'string' }, docs: 'Greets.' }],
      interfaces: [
        { name: 'tools', resources: [], functions: [{ name: 'run', kind: 'freestanding', params: [] }] },
        {
          name: 'ex:geo/shapes@1.0.0',
          docs: 'Shapes.',
          resources: ['canvas', 'brush'],
          functions: [
            { name: 'constructor', kind: 'constructor', resource: 'canvas', params: [{ name: 'w', type: { kind: 'u32' } }] },
            {
              name: 'draw',
              kind: 'method',
              resource: 'canvas',
              params: [
                { name: 'self', type: { kind: 'borrow', resource: 'canvas' } },
                { name: 's', type: shape },
              ],
            },
            { name: 'blank', kind: 'static', resource: 'canvas', params: [], result: { kind: 'own', resource: 'canvas' } },
            { name: 'area', kind: 'freestanding', params: [{ name: 's', type: shape }], result: { kind: 'f64' } },
          ],
        },
      ],
    };
    expect(printWit(desc)).toBe(`/// A demo.
world component {
  import wasi:cli/environment@0.2.3;
  export tools: interface {
    run: func();
  }
  export ex:geo/shapes@1.0.0;
  /// Greets.
  export hello: func(name: string) -> string;
}

// ex:geo/shapes@1.0.0
/// Shapes.
interface shapes {
  type pos = tuple<f32, f32>;
  variant shape {
    dot,
    at(pos),
  }
  resource canvas {
    constructor(w: u32);
    draw: func(s: shape);
    blank: static func() -> canvas;
  }
  resource brush;
  area: func(s: shape) -> f64;
}
`);
  });
});
