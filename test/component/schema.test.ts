import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { decimalUpTo, toolSchemas, witTypeToSchema, isTaggedOption } from '../../src/component/schema.js';
import { jsonToWit } from '../../src/component/values.js';
import type { WitFunction, WitType } from '../../src/component/wit-types.js';

const u8: WitType = { kind: 'u8' };
const u32: WitType = { kind: 'u32' };
const str: WitType = { kind: 'string' };
const person: WitType = {
  kind: 'record',
  name: 'person',
  fields: [
    { name: 'first-name', type: str },
    { name: 'age', type: u8 },
    { name: 'nick', type: { kind: 'option', inner: str } },
  ],
};
const shape: WitType = {
  kind: 'variant',
  name: 'shape',
  cases: [{ name: 'circle', type: { kind: 'f64' } }, { name: 'unit' }, { name: 'maybe', type: { kind: 'option', inner: u32 } }],
};

describe('witTypeToSchema shapes', () => {
  const table: [string, WitType, Record<string, unknown>][] = [
    ['bool', { kind: 'bool' }, { type: 'boolean' }],
    ['u8', u8, { type: 'integer', minimum: 0, maximum: 255 }],
    ['s8', { kind: 's8' }, { type: 'integer', minimum: -128, maximum: 127 }],
    ['s16', { kind: 's16' }, { type: 'integer', minimum: -32768, maximum: 32767 }],
    ['u32', u32, { type: 'integer', minimum: 0, maximum: 4294967295 }],
    ['s32', { kind: 's32' }, { type: 'integer', minimum: -2147483648, maximum: 2147483647 }],
    ['f64', { kind: 'f64' }, { type: 'number' }],
    ['string', str, { type: 'string' }],
    ['char', { kind: 'char' }, { type: 'string', minLength: 1, maxLength: 1 }],
    ['enum', { kind: 'enum', name: 'color', cases: ['red', 'hot-pink'] }, { title: 'color', type: 'string', enum: ['red', 'hot-pink'] }],
    ['list<u8>', { kind: 'list', element: u8 }, { type: 'array', items: { type: 'integer', minimum: 0, maximum: 255 } }],
    [
      'tuple',
      { kind: 'tuple', elements: [u8, str] },
      { type: 'array', prefixItems: [{ type: 'integer', minimum: 0, maximum: 255 }, { type: 'string' }], minItems: 2, maxItems: 2 },
    ],
    ['option<string>', { kind: 'option', inner: str }, { type: ['string', 'null'] }],
    ['option<enum>', { kind: 'option', inner: { kind: 'enum', cases: ['a'] } }, { type: ['string', 'null'], enum: ['a', null] }],
    ['own', { kind: 'own', resource: 'counter' }, { type: 'string', description: 'handle to a `counter` resource' }],
  ];
  it.each(table)('%s', (_n, t, want) => {
    expect(witTypeToSchema(t)).toMatchObject(want);
  });

  it('record: kebab names, optional fields not required, closed', () => {
    expect(witTypeToSchema(person)).toMatchObject({
      title: 'person',
      type: 'object',
      required: ['first-name', 'age'],
      additionalProperties: false,
      properties: { 'first-name': { type: 'string' }, nick: { type: ['string', 'null'] } },
    });
    expect((witTypeToSchema(person, 'output') as { required: string[] }).required).toEqual(['first-name', 'age', 'nick']);
  });

  it('variant: oneOf of tag/val objects, val absent for no-payload cases', () => {
    const s = witTypeToSchema(shape) as { oneOf: Record<string, unknown>[] };
    expect(s.oneOf).toEqual([
      { type: 'object', properties: { tag: { const: 'circle' }, val: { type: 'number' } }, required: ['tag', 'val'], additionalProperties: false },
      { type: 'object', properties: { tag: { const: 'unit' } }, required: ['tag'], additionalProperties: false },
      {
        type: 'object',
        properties: { tag: { const: 'maybe' }, val: { type: ['integer', 'null'], minimum: 0, maximum: 4294967295 } },
        required: ['tag'],
        additionalProperties: false,
      },
    ]);
  });

  it('flags: object of booleans, nothing required, closed', () => {
    expect(witTypeToSchema({ kind: 'flags', flags: ['read', 'write-all'] })).toMatchObject({
      type: 'object',
      properties: { read: { type: 'boolean' }, 'write-all': { type: 'boolean' } },
      additionalProperties: false,
    });
  });

  it('u64/s64 accept safe integers or decimal strings; f64 output allows non-finite strings', () => {
    expect(witTypeToSchema({ kind: 'u64' })).toMatchObject({ type: ['integer', 'string'], minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
    expect(witTypeToSchema({ kind: 'f64' }, 'output')).toMatchObject({ anyOf: [{ type: 'number' }, { enum: ['NaN', 'Infinity', '-Infinity'] }] });
  });

  it('isTaggedOption follows jco: only an option directly around an untagged option is tagged', () => {
    const o1: WitType = { kind: 'option', inner: u32 };
    const o2: WitType = { kind: 'option', inner: o1 };
    const o3: WitType = { kind: 'option', inner: o2 };
    expect([o1, o2, o3].map(isTaggedOption)).toEqual([false, true, false]);
  });
});

describe('decimalUpTo', () => {
  it.each([[9n], [10n], [255n], [1000n], [4096n]])('matches exactly 1..%s', (max) => {
    const re = new RegExp(`^(${decimalUpTo(max)})$`);
    for (let i = 0n; i <= max * 2n + 10n; i++) expect([i, re.test(i.toString())]).toEqual([i, i >= 1n && i <= max]);
    expect(re.test(`0${max}`)).toBe(false);
  });
});

describe('toolSchemas', () => {
  const divide: WitFunction = {
    name: 'divide',
    kind: 'freestanding',
    params: [
      { name: 'a', type: { kind: 's32' } },
      { name: 'b', type: { kind: 's32' } },
      { name: 'round-mode', type: { kind: 'option', inner: str } },
    ],
    result: { kind: 'result', ok: { kind: 's32' }, err: str },
  };
  it('input keyed by param names; optional params not required; result<T, E> outputs T', () => {
    const { inputSchema, outputSchema } = toolSchemas(divide);
    expect(inputSchema).toMatchObject({ type: 'object', required: ['a', 'b'], additionalProperties: false });
    expect(Object.keys(inputSchema.properties as object)).toEqual(['a', 'b', 'round-mode']);
    expect(outputSchema).toEqual({
      type: 'object',
      properties: { result: witTypeToSchema({ kind: 's32' }, 'output') },
      required: ['result'],
      additionalProperties: false,
    });
  });
  it('no return value and result<_, E> give an empty output object', () => {
    const none = toolSchemas({ name: 'f', kind: 'freestanding', params: [] });
    const unit = toolSchemas({ name: 'f', kind: 'freestanding', params: [], result: { kind: 'result', err: str } });
    for (const s of [none, unit]) expect(s.outputSchema).toEqual({ type: 'object', properties: {}, additionalProperties: false });
  });
  it('method schemas include self as a handle string', () => {
    const get: WitFunction = {
      name: 'get',
      kind: 'method',
      resource: 'counter',
      params: [{ name: 'self', type: { kind: 'borrow', resource: 'counter' } }],
      result: u32,
    };
    expect(toolSchemas(get).inputSchema).toMatchObject({ required: ['self'], properties: { self: { type: 'string' } } });
  });
});

// The schema and the converter must agree on what they accept: the schema is what agents are told.
describe('schema and converter agree', () => {
  const ajv = new Ajv2020({ strict: false });
  const cases: [WitType, unknown[], unknown[]][] = [
    [u8, [0, 255], [256, -1, 1.5, '3', null]],
    [{ kind: 'u64' }, [0, '18446744073709551615', Number.MAX_SAFE_INTEGER], ['18446744073709551616', -1, '-1', 'x', '007', 2 ** 60]],
    [{ kind: 's64' }, ['-9223372036854775808', -5], ['-9223372036854775809', '-0']],
    [{ kind: 'char' }, ['a', '\u{1F600}'], ['', 'ab', 5]],
    [
      person,
      [
        { 'first-name': 'A', age: 3 },
        { 'first-name': 'A', age: 3, nick: null },
      ],
      [{ 'first-name': 'A' }, { 'first-name': 'A', age: 3, x: 1 }, { firstName: 'A', age: 3 }],
    ],
    [
      shape,
      [{ tag: 'circle', val: 1 }, { tag: 'unit' }, { tag: 'maybe' }, { tag: 'maybe', val: 3 }],
      [{ tag: 'circle' }, { tag: 'unit', val: 1 }, { tag: 'nope' }, 'unit'],
    ],
    [{ kind: 'flags', flags: ['a', 'b'] }, [{}, { a: true }], [{ c: true }, { a: 1 }]],
    [{ kind: 'tuple', elements: [u8, str] }, [[1, 'x']], [[1], [1, 'x', 2], [1, 2]]],
    [{ kind: 'result', ok: u8 }, [{ tag: 'ok', val: 1 }, { tag: 'err' }], [{ tag: 'err', val: 1 }, { tag: 'ok' }]],
    [{ kind: 'option', inner: { kind: 'option', inner: u8 } }, [null, 3], ['x']],
    [{ kind: 'list', element: { kind: 'enum', cases: ['x', 'y'] } }, [[], ['x', 'y']], [['z'], 'x']],
  ];
  for (const [t, good, bad] of cases) {
    const validate = ajv.compile(witTypeToSchema(t));
    it.each(good.map((v) => [JSON.stringify(v), v]))(`${t.kind} accepts %s`, (_s, v) => {
      expect(validate(v)).toBe(true);
      expect(() => jsonToWit(t, v, 'x')).not.toThrow();
    });
    it.each(bad.map((v) => [JSON.stringify(v), v]))(`${t.kind} rejects %s`, (_s, v) => {
      expect(validate(v)).toBe(false);
      expect(() => jsonToWit(t, v, 'x')).toThrow();
    });
  }
});
