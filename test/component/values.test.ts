import { describe, expect, it } from 'vitest';
import { isWassetteError } from '../../src/errors.js';
import { argsToWit, jsonToWit, normalizeArgs, witNameToJs, witNameToJsClass, witToJson } from '../../src/component/values.js';
import type { WitFunction, WitType } from '../../src/component/wit-types.js';

const T = {
  bool: { kind: 'bool' },
  u8: { kind: 'u8' },
  s8: { kind: 's8' },
  u16: { kind: 'u16' },
  s16: { kind: 's16' },
  u32: { kind: 'u32' },
  s32: { kind: 's32' },
  u64: { kind: 'u64' },
  s64: { kind: 's64' },
  f32: { kind: 'f32' },
  f64: { kind: 'f64' },
  char: { kind: 'char' },
  string: { kind: 'string' },
} satisfies Record<string, WitType>;
const opt = (inner: WitType): WitType => ({ kind: 'option', inner });
const person: WitType = {
  kind: 'record',
  name: 'person',
  fields: [
    { name: 'first-name', type: T.string },
    { name: 'age', type: T.u8 },
    { name: 'nick', type: opt(T.string) },
  ],
};
const shape: WitType = { kind: 'variant', cases: [{ name: 'circle-shape', type: T.f64 }, { name: 'unit-square' }] };
const perms: WitType = { kind: 'flags', flags: ['read-all', 'write'] };

// [label, type, JSON in, JS value for jco, JSON out (defaults to JSON in)]
const roundTrips: [string, WitType, unknown, unknown, unknown?][] = [
  ['bool', T.bool, true, true],
  ['u8 max', T.u8, 255, 255],
  ['s8 min', T.s8, -128, -128],
  ['u16 max', T.u16, 65535, 65535],
  ['s16 min', T.s16, -32768, -32768],
  ['u32 max', T.u32, 4294967295, 4294967295],
  ['s32 min', T.s32, -2147483648, -2147483648],
  ['u64 small number', T.u64, 42, 42n],
  ['u64 max string', T.u64, '18446744073709551615', 18446744073709551615n],
  ['u64 2^53+1 string', T.u64, '9007199254740993', 9007199254740993n],
  ['u64 2^53-1 as string comes back a number', T.u64, '9007199254740991', 9007199254740991n, 9007199254740991],
  ['s64 min string', T.s64, '-9223372036854775808', -9223372036854775808n],
  ['s64 negative number', T.s64, -7, -7n],
  ['f32', T.f32, 1.5, 1.5],
  ['f64', T.f64, -0.25, -0.25],
  ['char astral', T.char, '\u{1F600}', '\u{1F600}'],
  ['string empty', T.string, '', ''],
  ['list<u8> -> Uint8Array', { kind: 'list', element: T.u8 }, [0, 255], new Uint8Array([0, 255])],
  ['list<u8> empty', { kind: 'list', element: T.u8 }, [], new Uint8Array([])],
  ['list<u64> -> BigUint64Array', { kind: 'list', element: T.u64 }, [1, '18446744073709551615'], new BigUint64Array([1n, 18446744073709551615n])],
  ['list<s16> -> Int16Array', { kind: 'list', element: T.s16 }, [-1], new Int16Array([-1])],
  ['list<f32> -> Float32Array', { kind: 'list', element: T.f32 }, [0.5], new Float32Array([0.5])],
  ['list<string>', { kind: 'list', element: T.string }, ['a', 'b'], ['a', 'b']],
  ['tuple', { kind: 'tuple', elements: [T.char, T.s64] }, ['x', 5], ['x', 5n]],
  ['record camelCase fields', person, { 'first-name': 'Ada', age: 36, nick: 'ada' }, { firstName: 'Ada', age: 36, nick: 'ada' }],
  [
    'record absent option',
    person,
    { 'first-name': 'Ada', age: 36 },
    { firstName: 'Ada', age: 36, nick: undefined },
    { 'first-name': 'Ada', age: 36, nick: null },
  ],
  ['variant payload', shape, { tag: 'circle-shape', val: 2 }, { tag: 'circle-shape', val: 2 }],
  ['variant no payload', shape, { tag: 'unit-square' }, { tag: 'unit-square' }],
  ['enum kebab as written', { kind: 'enum', cases: ['hot-pink', 'blue'] }, 'hot-pink', 'hot-pink'],
  ['flags camelCase, absent false', perms, { 'read-all': true }, { readAll: true, write: false }, { 'read-all': true, write: false }],
  ['option none', opt(T.u32), null, undefined],
  ['option some', opt(T.u32), 7, 7],
  ['option<option> none', opt(opt(T.u32)), null, { tag: 'none' }],
  ['option<option> some', opt(opt(T.u32)), 7, { tag: 'some', val: 7 }],
  ['option<option<option>> some', opt(opt(opt(T.bool))), true, { tag: 'some', val: true }],
  ['result ok', { kind: 'result', ok: T.u8, err: T.string }, { tag: 'ok', val: 1 }, { tag: 'ok', val: 1 }],
  ['result err no payload', { kind: 'result', ok: T.u8 }, { tag: 'err' }, { tag: 'err' }],
  ['own handle passes through', { kind: 'own', resource: 'counter' }, 'h1', 'h1'],
];

describe('jsonToWit / witToJson round trips', () => {
  it.each(roundTrips)('%s', (_label, t, json, js, back = json) => {
    expect(jsonToWit(t, json, 'x')).toEqual(js);
    expect(witToJson(t, js)).toEqual(back);
  });
});

describe('jsonToWit rejects with the JSON path', () => {
  const rejects: [WitType, unknown, string][] = [
    [person, { 'first-name': 'A', age: 300 }, "argument 'x.age': expected integer 0..255, got 300"],
    [person, { 'first-name': 'A' }, "argument 'x': missing required field 'age'"],
    [person, { 'first-name': 'A', age: 1, extra: 1 }, "argument 'x': unknown field 'extra'"],
    [T.u8, 1.5, 'expected integer 0..255, got 1.5'],
    [T.s32, '5', 'expected integer'],
    [T.u64, -1, 'expected integer 0..18446744073709551615'],
    [T.u64, '18446744073709551616', 'expected integer 0..'],
    [T.u64, '12abc', 'expected integer'],
    [T.u64, 2 ** 60, 'pass it as a decimal string'],
    [T.s64, '-9223372036854775809', 'expected integer -9223372036854775808..'],
    [T.f64, 'NaN', 'expected a finite number'],
    [T.f32, 1e39, 'within f32 range'],
    [T.char, 'ab', 'expected a single Unicode character'],
    [T.char, '\ud800', 'expected a single Unicode character'],
    [T.bool, 'true', 'expected boolean, got "true"'],
    [shape, { tag: 'hexagon' }, 'unknown tag "hexagon" (expected one of: circle-shape, unit-square)'],
    [shape, { tag: 'circle-shape' }, "case 'circle-shape' needs a 'val'"],
    [shape, { tag: 'unit-square', val: 1 }, "unknown key 'val'"],
    [{ kind: 'enum', cases: ['a'] }, 'b', 'expected one of: a, got "b"'],
    [perms, { exec: true }, "unknown flag 'exec'"],
    [perms, { write: 'yes' }, "argument 'x.write': expected boolean"],
    [{ kind: 'list', element: T.u8 }, [1, 256], "argument 'x[1]': expected integer 0..255, got 256"],
    [{ kind: 'tuple', elements: [T.u8] }, [1, 2], 'expected array of 1 items'],
    [{ kind: 'own', resource: 'r' }, 5, 'expected a `r` handle string, got 5'],
  ];
  it.each(rejects)('%j %j', (t, json, message) => {
    let err: unknown;
    try {
      jsonToWit(t, json, 'x');
    } catch (e) {
      err = e;
    }
    expect(isWassetteError(err, 'invalid-argument')).toBe(true);
    expect((err as Error).message).toContain(message);
  });
});

describe('witToJson edge values', () => {
  it.each([
    [T.u64, 9007199254740993n, '9007199254740993'],
    [T.u64, 18446744073709551615n, '18446744073709551615'],
    [T.s64, -9223372036854775808n, '-9223372036854775808'],
    [T.s64, -9007199254740991n, -9007199254740991],
    [T.f64, NaN, 'NaN'],
    [T.f32, Infinity, 'Infinity'],
    [T.f64, -Infinity, '-Infinity'],
    [{ kind: 'list', element: T.u8 }, new Uint8Array([1, 2]), [1, 2]],
    [opt(opt(T.u32)), { tag: 'some', val: undefined }, null],
    [opt(T.string), undefined, null],
  ] as [WitType, unknown, unknown][])('%j %s', (t, v, want) => {
    expect(witToJson(t, v)).toEqual(want);
  });
  it('names the path of an ill-typed value', () => {
    expect(() => witToJson(person, { firstName: 'A', age: 'old' })).toThrow("at 'result.age': expected number");
  });
  it('uses resource hooks both ways', () => {
    const own: WitType = { kind: 'list', element: { kind: 'own', resource: 'counter' } };
    const objs = jsonToWit(own, ['a'], 'x', { handleToResource: (h, r, b) => ({ h, r, b }) });
    expect(objs).toEqual([{ h: 'a', r: 'counter', b: false }]);
    expect(witToJson(own, [{ id: 9 }], 'result', { resourceToHandle: (v, r) => `${r}-${(v as { id: number }).id}` })).toEqual(['counter-9']);
  });
});

describe('arguments', () => {
  const fn: WitFunction = {
    name: 'greet',
    kind: 'freestanding',
    params: [
      { name: 'first-name', type: T.string },
      { name: 'times', type: opt(T.u8) },
    ],
  };
  it.each([[{ 'first-name': 'A', times: 2 }], [{ first_name: 'A', times: 2 }], [{ firstName: 'A', times: 2 }]])(
    'accepts kebab, snake and camel spellings: %j',
    (args) => {
      expect(argsToWit(fn, args)).toEqual(['A', 2]);
    },
  );
  it('absent option params are none', () => expect(argsToWit(fn, { 'first-name': 'A' })).toEqual(['A', undefined]));
  it.each([
    [{}, "missing required argument 'first-name'"],
    [{ 'first-name': 'A', nope: 1 }, "unknown argument 'nope' (expected: first-name, times)"],
    [{ 'first-name': 'A', first_name: 'B' }, "argument 'first-name': given twice"],
    [[1], 'arguments must be an object'],
    [{ 'first-name': 'A', times: -1 }, "argument 'times': expected integer 0..255, got -1"],
  ])('rejects %j', (args, message) => {
    expect(() => argsToWit(fn, args)).toThrow(message);
  });
  it('normalizeArgs re-keys by WIT names', () => {
    expect(normalizeArgs(fn, { first_name: 'A' })).toEqual({ 'first-name': 'A' });
  });
});

describe('jco naming', () => {
  it.each([
    ['first-name', 'firstName'],
    ['HTTP-code', 'httpCode'],
    ['a1-b2', 'a1B2'],
    ['x-y-z', 'xYZ'],
    ['%type', 'type'],
  ])('%s -> %s', (w, js) => {
    expect(witNameToJs(w)).toBe(js);
  });
  it('resource class names', () => expect(witNameToJsClass('counter-thing')).toBe('CounterThing'));

  // Pins the conventions above to the installed jco: transpile a WIT-only component and read the typings.
  it('matches what jco-transpile generates', async () => {
    const { componentEmbed, componentNew } = await import('@bytecodealliance/jco-transpile/wasm-tools');
    const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
    const wit = `package test:names;
interface q {
  record r { first-name: string, HTTP-code: u32, a1-b2: u8 }
  flags f { read-all, write }
  enum e { hot-pink }
  variant v { unit-square, circle-shape(f64) }
  resource counter-thing { get-value: func() -> u64; }
  echo: func(x: r, y: f, z: e, w: v, b: list<u8>, l: list<u64>, o: option<option<u32>>) -> list<s16>;
}
world w { export q; }`;
    const core = await componentEmbed({ dummy: true, witSource: wit, world: 'w' });
    const out = await transpileBytes(await componentNew(core, []), { name: 'c', instantiation: { tag: 'async' } });
    const dts = new TextDecoder().decode(out.files['interfaces/test-names-q.d.ts']);
    for (const needle of [
      'firstName: string',
      'httpCode: number',
      'a1B2: number',
      'readAll?: boolean',
      "'hot-pink'",
      "tag: 'unit-square'",
      "tag: 'circle-shape'",
      'class CounterThing',
      'getValue(): bigint',
      'b: Uint8Array',
      'l: BigUint64Array',
      'o: Option<number | undefined>',
      '): Int16Array',
    ]) {
      expect(dts).toContain(needle);
    }
  });
});
