// Decoder behaviour on small hand-written components: every WIT type, naming, resources, imports, export shapes.
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../src/component/decode-component.js';
import { parseFunctionName } from '../../src/component/decode/describe.js';
import type { WitType } from '../../src/component/wit-types.js';

async function decodeWat(wat: string) {
  return decodeComponent(await parse(wat));
}

/** A component exporting one unreachable function of the given signature at world level. */
function oneFunc(types: string, sig: string): string {
  return `(component
    (core module $m (func (export "f") unreachable) (memory (export "mem") 1)
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable))
    (core instance $i (instantiate $m))
    (alias core export $i "mem" (core memory $mem))
    (alias core export $i "realloc" (core func $realloc))
    ${types}
    (func $f ${sig} (canon lift (core func $i "f") (memory $mem) (realloc $realloc)))
    (export "f" (func $f)))`;
}

describe('decodeComponent: value types', () => {
  const prims = ['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string'] as const;
  it.each(prims)('primitive %s as param and result', async (p) => {
    const d = await decodeWat(oneFunc('', `(param "x" ${p}) (result ${p})`));
    expect(d.functions).toEqual([{ name: 'f', kind: 'freestanding', params: [{ name: 'x', type: { kind: p } }], result: { kind: p } }]);
  });

  const cases: [string, string, string, WitType][] = [
    ['list', '(type $t (list u8))', '$t', { kind: 'list', element: { kind: 'u8' } }],
    ['option', '(type $t (option string))', '$t', { kind: 'option', inner: { kind: 'string' } }],
    ['tuple', '(type $t (tuple bool char))', '$t', { kind: 'tuple', elements: [{ kind: 'bool' }, { kind: 'char' }] }],
    ['result ok+err', '(type $t (result u32 (error string)))', '$t', { kind: 'result', ok: { kind: 'u32' }, err: { kind: 'string' } }],
    ['result err only', '(type $t (result (error string)))', '$t', { kind: 'result', err: { kind: 'string' } }],
    ['result ok only', '(type $t (result u32))', '$t', { kind: 'result', ok: { kind: 'u32' } }],
    ['bare result', '(type $t (result))', '$t', { kind: 'result' }],
    ['anonymous record', '(type $t (record (field "a-b" s32)))', '$t', { kind: 'record', fields: [{ name: 'a-b', type: { kind: 's32' } }] }],
    ['anonymous enum', '(type $t (enum "x-y" "z"))', '$t', { kind: 'enum', cases: ['x-y', 'z'] }],
    ['anonymous flags', '(type $t (flags "r" "w-x"))', '$t', { kind: 'flags', flags: ['r', 'w-x'] }],
    ['variant', '(type $t (variant (case "a" u8) (case "b")))', '$t', { kind: 'variant', cases: [{ name: 'a', type: { kind: 'u8' } }, { name: 'b' }] }],
    [
      'named via export',
      '(type $r (record (field "x" f64))) (export $t "pt" (type $r))',
      '$t',
      { kind: 'record', name: 'pt', fields: [{ name: 'x', type: { kind: 'f64' } }] },
    ],
    ['named via import eq', '(type $r (enum "a")) (import "color" (type $t (eq $r)))', '$t', { kind: 'enum', name: 'color', cases: ['a'] }],
    [
      'nested named',
      '(type $r (record (field "x" u8))) (export $p "pt" (type $r)) (type $t (list (option $p)))',
      '$t',
      { kind: 'list', element: { kind: 'option', inner: { kind: 'record', name: 'pt', fields: [{ name: 'x', type: { kind: 'u8' } }] } } },
    ],
  ];
  it.each(cases)('%s', async (_label, types, ref, expected) => {
    const d = await decodeWat(oneFunc(types, `(param "v" ${ref})`));
    expect(d.functions[0]?.params[0]?.type).toEqual(expected);
  });

  it('many types: indices past 63 use multi-byte signed LEB in value types', async () => {
    const many = Array.from({ length: 70 }, (_, i) => `(type $t${i} (list u${i % 2 ? 8 : 16}))`).join('\n');
    const d = await decodeWat(oneFunc(many, '(param "v" $t69) (result $t64)'));
    expect(d.functions[0]?.params[0]?.type).toEqual({ kind: 'list', element: { kind: 'u8' } });
    expect(d.functions[0]?.result).toEqual({ kind: 'list', element: { kind: 'u16' } });
  });
});

const RESOURCE_SHIM = `(component
  (core module $m (func (export "f") (param i32) (result i32) unreachable))
  (core instance $i (instantiate $m))
  (type $res (resource (rep i32)))
  (func $ctor (param "n" u32) (result (own $res)) (canon lift (core func $i "f")))
  (func $get (param "self" (borrow $res)) (result u32) (canon lift (core func $i "f")))
  (type $opts (record (field "fast" bool)))
  (func $make (param "o" $opts) (result (own $res)) (canon lift (core func $i "f")))
  (component $shim
    (import "import-type-thing" (type $t (sub resource)))
    (type $o (record (field "fast" bool)))
    (import "import-type-opts" (type $io (eq $o)))
    (import "c" (func $c (param "n" u32) (result (own $t))))
    (import "g" (func $g (param "self" (borrow $t)) (result u32)))
    (import "m" (func $mk (param "o" $io) (result (own $t))))
    (export $thing "thing" (type $t))
    (type $o2 (record (field "fast" bool)))
    (export $opts "opts" (type $o2))
    (export "[constructor]thing" (func $c) (func (param "n" u32) (result (own $thing))))
    (export "[method]thing.get" (func $g) (func (param "self" (borrow $thing)) (result u32)))
    (export "[static]thing.make" (func $mk) (func (param "o" $opts) (result (own $thing)))))
  (instance $inst (instantiate $shim (with "import-type-thing" (type $res)) (with "import-type-opts" (type $opts))
    (with "c" (func $ctor)) (with "g" (func $get)) (with "m" (func $make))))
  (export "my:pkg/things@1.2.3" (instance $inst)))`;

describe('decodeComponent: interfaces and resources', () => {
  it('resources exported through a wit-component style shim keep WIT names', async () => {
    const d = await decodeWat(RESOURCE_SHIM);
    expect(d.functions).toEqual([]);
    expect(d.interfaces).toEqual([
      {
        name: 'my:pkg/things@1.2.3',
        resources: ['thing'],
        functions: [
          {
            name: 'constructor',
            kind: 'constructor',
            resource: 'thing',
            params: [{ name: 'n', type: { kind: 'u32' } }],
            result: { kind: 'own', resource: 'thing' },
          },
          { name: 'get', kind: 'method', resource: 'thing', params: [{ name: 'self', type: { kind: 'borrow', resource: 'thing' } }], result: { kind: 'u32' } },
          {
            name: 'make',
            kind: 'static',
            resource: 'thing',
            params: [{ name: 'o', type: { kind: 'record', name: 'opts', fields: [{ name: 'fast', type: { kind: 'bool' } }] } }],
            result: { kind: 'own', resource: 'thing' },
          },
        ],
      },
    ]);
    expect(d.wit).toContain('resource thing {\n    constructor(n: u32);\n    get: func() -> u32;\n    make: static func(o: opts) -> thing;\n  }');
  });

  it('an interface instance built from inline exports, with an instance type ascription', async () => {
    const d = await decodeWat(`(component
      (core module $m (func (export "f") (param i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (func $f (param "a" u32) (result u32) (canon lift (core func $i "f")))
      (type $ty (instance (type $x u32) (export "double" (func (param "value" $x) (result $x)))))
      (instance $inst (export "double" (func $f)))
      (export "ex:math/ops" (instance $inst) (instance (type $ty))))`);
    // The ascribed type wins: its parameter is named "value", not "a".
    expect(d.interfaces).toEqual([
      {
        name: 'ex:math/ops',
        resources: [],
        functions: [{ name: 'double', kind: 'freestanding', params: [{ name: 'value', type: { kind: 'u32' } }], result: { kind: 'u32' } }],
      },
    ]);
  });

  it('a resource defined and exported at top level is named by its export even in unascribed functions', async () => {
    const d = await decodeWat(`(component
      (core module $m (func (export "f") (param i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (type $r (resource (rep i32)))
      (func $new (param "n" u32) (result (own $r)) (canon lift (core func $i "f")))
      (export "blob" (type $r))
      (instance $inst (export "[constructor]blob" (func $new)))
      (export "ex:b/blobs" (instance $inst)))`);
    expect(d.interfaces[0]?.functions[0]).toMatchObject({ kind: 'constructor', resource: 'blob', result: { kind: 'own', resource: 'blob' } });
  });

  it('lists imported interfaces and functions, resolving outer aliases inside instance types', async () => {
    const d = await decodeWat(`(component
      (type $env (instance (type $p (tuple string string)) (type $l (list $p))
        (export "get-environment" (func (result $l)))))
      (import "wasi:cli/environment@0.2.3" (instance $e (type $env)))
      (type $kv (tuple string u8))
      (type $st (instance (alias outer 1 $kv (type $a)) (export "pair" (type (eq $a)))
        (export "get" (func (result 1)))))
      (import "ex:store/kv" (instance $s (type $st)))
      (import "log" (func $log (param "msg" string)))
      (alias export $s "pair" (type $pair))
      (core module $m (func (export "f") (param i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (func $f (param "p" $pair) (canon lift (core func $i "f")))
      (export "use-pair" (func $f)))`);
    expect(d.imports).toEqual(['wasi:cli/environment@0.2.3', 'ex:store/kv', 'log']);
    expect(d.functions[0]?.params[0]?.type).toEqual({ kind: 'tuple', name: 'pair', elements: [{ kind: 'string' }, { kind: 'u8' }] });
  });
});

describe('parseFunctionName', () => {
  it.each([
    ['add', { name: 'add', kind: 'freestanding' }],
    ['[constructor]counter', { name: 'constructor', kind: 'constructor', resource: 'counter' }],
    ['[method]counter.get-all', { name: 'get-all', kind: 'method', resource: 'counter' }],
    ['[static]my-res.make', { name: 'make', kind: 'static', resource: 'my-res' }],
    ['[async]fetch', { name: 'fetch', kind: 'freestanding' }],
    ['[async method]r.go', { name: 'go', kind: 'method', resource: 'r' }],
  ])('%s', (input, expected) => {
    expect(parseFunctionName(input)).toEqual(expected);
  });
});

describe('decodeComponent: types the shared model cannot express', () => {
  it('leaves out functions using stream<T> and keeps the rest', async () => {
    const d = await decodeWat(`(component
      (core module $m (func (export "f") (param i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (type $s (stream u8))
      (func $f (param "s" $s) (result u32) (canon lift (core func $i "f")))
      (func $g (param "a" u32) (result u32) (canon lift (core func $i "f")))
      (export "take" (func $f))
      (export "keep" (func $g)))`);
    expect(d.functions.map((f) => f.name)).toEqual(['keep']);
    expect(d.skipped).toEqual([{ name: 'take', reason: 'uses stream' }]);
  });

  it('names skipped interface functions with their interface, and records nothing when all are supported', async () => {
    const d = await decodeWat(`(component
      (core module $m (func (export "f") (param i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (type $fut (future u32))
      (func $f (param "x" $fut) (result u32) (canon lift (core func $i "f")))
      (func $g (param "a" u32) (result u32) (canon lift (core func $i "f")))
      (instance $api (export "wait" (func $f)) (export "now" (func $g)))
      (export "test:a/api" (instance $api)))`);
    expect(d.interfaces[0]?.functions.map((f) => f.name)).toEqual(['now']);
    expect(d.skipped).toEqual([{ name: 'test:a/api#wait', reason: 'uses future' }]);
    const plain = await decodeWat(oneFunc('', '(param "a" u32) (result u32)'));
    expect(plain.skipped).toBeUndefined();
  });
});
