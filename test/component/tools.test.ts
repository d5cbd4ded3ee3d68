import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeComponent } from '../../src/component/decode-component.js';
import { type CallOutcome, type ToolDef, componentTools, toolResultToJson } from '../../src/component/tools.js';
import { validateArgs } from '../../src/component/validate.js';
import { argsToWit, witNameToJs } from '../../src/component/values.js';
import type { ComponentDescription, WitFunction } from '../../src/component/wit-types.js';

const s32 = { kind: 's32' } as const;
const str = { kind: 'string' } as const;
const divide: WitFunction = {
  name: 'divide',
  kind: 'freestanding',
  params: [
    { name: 'a', type: s32 },
    { name: 'b', type: s32 },
  ],
  result: { kind: 'result', ok: s32, err: str },
};
const desc: ComponentDescription = {
  functions: [divide, { name: 'ping', kind: 'freestanding', params: [] }],
  interfaces: [{ name: 'local:calc/math@0.1.0', resources: [], functions: [{ name: 'add', kind: 'freestanding', params: [], result: s32, docs: 'Adds.' }] }],
  imports: [],
  wit: '',
};

describe('componentTools', () => {
  it('one tool per function, world level first, with targets', () => {
    const tools = componentTools(desc);
    expect(tools.map((t) => [t.baseName, t.target.interface])).toEqual([
      ['divide', undefined],
      ['ping', undefined],
      ['local_calc_math_add', 'local:calc/math@0.1.0'],
    ]);
    expect(tools[2]?.description).toBe('Adds.');
    expect(tools[0]?.target.function).toBe(divide);
  });
});

describe('toolResultToJson', () => {
  it.each<[WitFunction, CallOutcome, unknown]>([
    [divide, { kind: 'ok', value: 3 }, { structured: { result: 3 } }],
    [divide, { kind: 'err', payload: 'division by zero' }, { isError: true, structured: { error: 'division by zero' } }],
    [{ name: 'f', kind: 'freestanding', params: [] }, { kind: 'ok', value: undefined }, { structured: {} }],
    [
      { name: 'f', kind: 'freestanding', params: [], result: { kind: 'result' } },
      { kind: 'err', payload: undefined },
      { isError: true, structured: { error: null } },
    ],
    [
      { name: 'f', kind: 'freestanding', params: [], result: { kind: 'u64' } },
      { kind: 'ok', value: 2n ** 60n },
      { structured: { result: '1152921504606846976' } },
    ],
  ])('%#', (fn, outcome, want) => expect(toolResultToJson(fn, outcome)).toEqual(want));
});

// End to end against a real component: decode, build tools, transpile with jco, call with JSON args,
// and check the JSON result both equals the input and validates against the advertised output schema.
describe('all-types fixture through jco', () => {
  let dir: string;
  let tools: ToolDef[];
  let root: Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false });
  // The MCP SDK client checks structuredContent with a draft-07 Ajv (strict off): our schemas must pass there too.
  const sdkAjv = new Ajv({ strict: false, allErrors: true });

  beforeAll(async () => {
    const bytes = readFileSync(join(import.meta.dirname, '../../fixtures/build/all-types.wasm'));
    tools = componentTools(decodeComponent(bytes));
    const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
    const out = await transpileBytes(bytes, { name: 'all-types', instantiation: { tag: 'async' }, noComponentErrorWrapping: false });
    dir = mkdtempSync(join(tmpdir(), 'wassette-tools-'));
    for (const [name, data] of Object.entries(out.files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    const mod = await import(pathToFileURL(join(dir, 'all-types.js')).href);
    root = await mod.instantiate((p: string) => WebAssembly.compile(readFileSync(join(dir, p))), {});
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function call(baseName: string, args: unknown): ReturnType<typeof toolResultToJson> {
    const tool = tools.find((t) => t.baseName === baseName);
    if (!tool) throw new Error(`no tool ${baseName}`);
    const fn = tool.target.function;
    const named = validateArgs(tool, args);
    const scope = (tool.target.interface ? root[tool.target.interface] : root) as Record<string, (...a: unknown[]) => unknown>;
    let outcome: CallOutcome;
    try {
      outcome = { kind: 'ok', value: scope[witNameToJs(fn.name)]?.(...argsToWit(fn, named)) };
    } catch (e) {
      if (!(e instanceof Error) || !('payload' in e)) throw e;
      outcome = { kind: 'err', payload: e.payload };
    }
    const res = toolResultToJson(fn, outcome);
    if (!res.isError) {
      expect(ajv.validate(tool.outputSchema, res.structured), JSON.stringify(ajv.errors)).toBe(true);
      expect(sdkAjv.validate(tool.outputSchema, res.structured), JSON.stringify(sdkAjv.errors)).toBe(true);
    }
    return res;
  }

  const echo = 'test_types_echo_echo_';
  it.each<[string, unknown]>([
    ['bool', false],
    ['s8', -128],
    ['u8', 255],
    ['s16', -32768],
    ['u16', 65535],
    ['s32', -2147483648],
    ['u32', 4294967295],
    ['s64', '-9223372036854775808'],
    ['u64', '18446744073709551615'],
    ['u64', 9007199254740991],
    ['s64', '9007199254740993'],
    ['f32', 1.5],
    ['f64', -1e300],
    ['char', '\u{1F600}'],
    ['string', 'héllo'],
    ['bytes', [0, 1, 255]],
    ['bytes', []],
    ['strings', ['a', '']],
    ['point', { x: -1, y: 2 }],
    ['person', { 'first-name': 'Ada', age: 36, tags: ['x'] }],
    ['tuple', ['a', 7]],
    ['shape', { tag: 'circle', val: 2.5 }],
    ['shape', { tag: 'rect', val: { x: 1, y: 2 } }],
    ['shape', { tag: 'none' }],
    ['color', 'light-blue'],
    ['perms', { read: true, write: false, 'exec-all': true }],
    ['option', 'x'],
    ['option', null],
    ['option_option', 5],
    ['option_option', null],
  ])('echo %s %j', (kind, value) => {
    expect(call(`${echo}${kind}`, { value })).toEqual({ structured: { result: value } });
  });

  it('a top-level result reports ok as the value and err as an error, also when echoed', () => {
    expect(call(`${echo}result`, { value: { tag: 'ok', val: 1 } })).toEqual({ structured: { result: 1 } });
    expect(call(`${echo}result`, { value: { tag: 'err', val: 'bad' } })).toEqual({ isError: true, structured: { error: 'bad' } });
  });

  it('world-level functions, u64 beyond 2^53 and top-level result errors', () => {
    expect(call('greet', { name: 'Ada' })).toEqual({ structured: { result: 'hello, Ada' } });
    expect(call('add', { a: '9007199254740993', b: 1 })).toEqual({ structured: { result: '9007199254740994' } });
    expect(call('divide', { a: 7, b: 2 })).toEqual({ structured: { result: 3 } });
    expect(call('divide', { a: 1, b: 0 })).toEqual({ isError: true, structured: { error: 'division by zero' } });
  });

  it('bad arguments never reach the component', () => {
    expect(() => call(`${echo}u8`, { value: 256 })).toThrow("argument 'value' must be <= 255");
    expect(() => call(`${echo}person`, { value: { 'first-name': 'A', age: 1 } })).toThrow("argument 'value' is missing required field 'tags'");
  });
});
