// End to end over stdio: every all-types echo tool with real values and edge cases, results checked
// against the advertised outputSchema; bad arguments, unknown tools and traps never break the server.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const E = 'test_types_echo_echo_';
const MISSING = Symbol('absent');

/** [tool suffix, value sent (MISSING = argument left out), result expected]. */
const ECHO_CASES: Array<[string, unknown, unknown]> = [
  ['bool', true, true],
  ['bool', false, false],
  ['s8', -128, -128],
  ['s8', 127, 127],
  ['u8', 0, 0],
  ['u8', 255, 255],
  ['s16', -32768, -32768],
  ['u16', 65535, 65535],
  ['s32', -2147483648, -2147483648],
  ['u32', 4294967295, 4294967295],
  ['s64', '-9223372036854775808', '-9223372036854775808'],
  ['s64', '9223372036854775807', '9223372036854775807'],
  ['s64', -5, -5],
  ['u64', '18446744073709551615', '18446744073709551615'],
  ['u64', '9007199254740993', '9007199254740993'], // 2^53 + 1 cannot be a JSON number
  ['u64', 9007199254740991, 9007199254740991],
  ['u64', '42', 42],
  ['f32', 0.1, 0.10000000149011612],
  ['f32', 1.5, 1.5],
  ['f64', 0.1, 0.1],
  ['f64', 1e308, 1e308],
  ['char', '😀', '😀'],
  ['char', 'a', 'a'],
  ['string', '', ''],
  ['string', 'héllo 🌍\n"quoted" \\ end', 'héllo 🌍\n"quoted" \\ end'],
  ['bytes', [0, 255, 7], [0, 255, 7]],
  ['bytes', [], []],
  ['strings', ['a', '', 'b c'], ['a', '', 'b c']],
  ['point', { x: -1, y: 2 }, { x: -1, y: 2 }],
  ['person', { 'first-name': 'Ada', age: 36, tags: ['math', 'code'] }, { 'first-name': 'Ada', age: 36, tags: ['math', 'code'] }],
  ['tuple', ['x', 7], ['x', 7]],
  ['shape', { tag: 'circle', val: 1.5 }, { tag: 'circle', val: 1.5 }],
  ['shape', { tag: 'rect', val: { x: 1, y: 2 } }, { tag: 'rect', val: { x: 1, y: 2 } }],
  ['shape', { tag: 'none' }, { tag: 'none' }],
  ['color', 'light-blue', 'light-blue'],
  ['color', 'red', 'red'],
  ['perms', { read: true, 'exec-all': true }, { read: true, write: false, 'exec-all': true }],
  ['perms', {}, { read: false, write: false, 'exec-all': false }],
  ['option', 'x', 'x'],
  ['option', null, null],
  ['option', MISSING, null],
  ['option_option', 5, 5],
  ['option_option', 0, 0],
  ['option_option', null, null],
  ['option_option', MISSING, null],
  ['result', { tag: 'ok', val: -5 }, -5],
];

/** [tool, arguments, text the error must contain (names the field)]. */
const BAD_ARGS: Array<[string, Record<string, unknown>, string]> = [
  [`${E}u8`, { value: 'x' }, "'value' must be integer"],
  [`${E}u8`, {}, "missing required argument 'value'"],
  [`${E}u8`, { value: 300 }, "'value' must be <= 255"],
  [`${E}u64`, { value: -1 }, "'value' must be >= 0"],
  [`${E}u64`, { value: 18446744073709551615 }, "'value'"], // a float that lost precision, not an integer
  [`${E}s64`, { value: '9223372036854775808' }, "'value'"],
  [`${E}bool`, { value: 'true' }, "'value' must be boolean"],
  [`${E}char`, { value: 'ab' }, "'value'"],
  [`${E}point`, { value: { x: 'a', y: 1 } }, "'value.x' must be integer"],
  [`${E}point`, { value: { x: 1 } }, "missing required field 'y'"],
  [`${E}person`, { value: { 'first-name': 'A', age: 1, tags: [], extra: 1 } }, "unknown field 'extra'"],
  [`${E}strings`, { value: ['a', 2] }, "'value[1]' must be string"],
  [`${E}tuple`, { value: ['x'] }, "'value'"],
  [`${E}color`, { value: 'purple' }, "'value' must be one of"],
  [`${E}shape`, { value: { tag: 'hexagon' } }, 'unknown tag "hexagon"'],
  [`${E}shape`, { value: { tag: 'circle' } }, "case 'circle' needs a 'val'"],
  [`${E}perms`, { value: { nope: true } }, "unknown field 'nope'"],
  [`${E}result`, { value: { tag: 'maybe', val: 1 } }, 'unknown tag "maybe"'],
  ['greet', { name: 'x', extra: 1 }, "unknown argument 'extra'"],
  ['divide', { a: 1.5, b: 1 }, "'a' must be integer"],
];

describe('all-types over stdio', () => {
  const t = tempHome();
  let s: McpSession;
  const validators = new Map<string, ValidateFunction>();
  const ajv = new Ajv2020({ strict: false, allErrors: true });

  /** Calls a tool and checks the structured result against the advertised outputSchema and the text copy. */
  async function callChecked(name: string, args: Record<string, unknown>) {
    const r = await call(s, name, args);
    const validate = validators.get(name);
    expect(validate, `no outputSchema for ${name}`).toBeDefined();
    expect(r.structuredContent, `${name} returned no structuredContent: ${text(r)}`).toBeDefined();
    expect(validate!(r.structuredContent), `${name}: ${JSON.stringify(validate!.errors)}`).toBe(true);
    const copies = r.content.filter((c) => c.type === 'text').map((c) => c.text ?? '');
    expect(copies.some((c) => c === JSON.stringify(r.structuredContent))).toBe(true);
    return r;
  }

  beforeAll(async () => {
    s = await startStdioSession({ home: t.home });
    const loaded = await call(s, 'load_component', { path: `file://${fixture('all-types')}` });
    expect(loaded.isError, text(loaded)).toBeFalsy();
    // listTools also makes the SDK client validate every later result against outputSchema itself.
    for (const tool of (await s.client.listTools()).tools) if (tool.outputSchema) validators.set(tool.name, ajv.compile(tool.outputSchema));
  });
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it('loads from a file:// URI and offers one tool per exported function', () => {
    const echo = [...validators.keys()].filter((n) => n.startsWith(E));
    expect(echo).toHaveLength(24); // 13 scalars + bytes, strings, point, person, tuple, shape, color, perms, option, option-option, result
    for (const n of ['greet', 'add', 'divide', 'trap']) expect(validators.has(n)).toBe(true);
  });

  it('loading the same file by plain path keeps one component with the same id, digest and tools', async () => {
    const before = (await s.client.listTools()).tools.map((x) => x.name).sort();
    const again = await call(s, 'load_component', { path: fixture('all-types') });
    expect(again.isError, text(again)).toBeFalsy();
    expect(again.structuredContent?.id).toBe('all-types');
    const list = (await call(s, 'list_components')).structuredContent?.components as Array<{ id: string; digest: string }>;
    expect(list).toHaveLength(1);
    expect(list[0]!.digest).toBe(again.structuredContent?.digest);
    expect((await s.client.listTools()).tools.map((x) => x.name).sort()).toEqual(before);
  });

  it('covers every echo tool in the table', () => {
    const covered = new Set(ECHO_CASES.map(([suffix]) => `${E}${suffix}`));
    expect([...validators.keys()].filter((n) => n.startsWith(E)).sort()).toEqual([...covered].sort());
  });

  it.each(ECHO_CASES.map(([suffix, input, out]) => [suffix, input === MISSING ? '(absent)' : JSON.stringify(input), input, out] as const))(
    'echo-%s %s',
    async (suffix, _label, input, expected) => {
      const r = await callChecked(`${E}${suffix}`, input === MISSING ? {} : { value: input });
      expect(r.isError, text(r)).toBeFalsy();
      expect(r.structuredContent).toEqual({ result: expected });
    },
  );

  it('a result err is isError with {error: E}', async () => {
    const r = await callChecked(`${E}result`, { value: { tag: 'err', val: 'bad' } });
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toEqual({ error: 'bad' });
  });

  it.each([
    [{ a: 7, b: 2 }, { result: 3 }, false],
    [{ a: 1, b: 0 }, { error: 'division by zero' }, true],
    [{ a: -2147483648, b: -1 }, { error: 'overflow' }, true],
  ])('divide %j', async (args, expected, isError) => {
    const r = await callChecked('divide', args);
    expect(Boolean(r.isError)).toBe(isError);
    expect(r.structuredContent).toEqual(expected);
  });

  it.each([
    [{ a: 1, b: 2 }, 3],
    [{ a: '18446744073709551615', b: 2 }, 1], // wrapping
    [{ a: '9007199254740992', b: 1 }, '9007199254740993'],
  ])('add %j', async (args, expected) => {
    expect((await callChecked('add', args)).structuredContent).toEqual({ result: expected });
  });

  it.each(BAD_ARGS)('%s %j is an isError naming the field', async (name, args, fragment) => {
    const r = await call(s, name, args);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(`invalid arguments for ${name}`);
    expect(text(r)).toContain(fragment);
  });

  it('an unknown tool is a protocol error and the server keeps serving', async () => {
    const err = await call(s, 'no_such_tool', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).message).toContain('no_such_tool');
    expect((await call(s, 'greet', { name: 'still here' })).structuredContent).toEqual({ result: 'hello, still here' });
  });

  it('a trap is an isError with a clear message, and the next call runs on a fresh instance', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await callChecked('trap', {});
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/trap/);
      expect(text(r)).toContain('unreachable');
      expect(r.structuredContent?.error?.code).toBe('trap');
      expect((await callChecked('greet', { name: `after ${i}` })).structuredContent).toEqual({ result: `hello, after ${i}` });
    }
  });

  it('wrote nothing but MCP to stdout (the SDK client would have failed) and logged to stderr', () => {
    expect(s.stderr()).toContain('loaded all-types');
  });
});
