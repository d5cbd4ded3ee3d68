// End to end over stdio: resources and handles, the JS fixtures, package-docs descriptions, tool-name
// collisions, and components coming back after a server restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

async function load(s: McpSession, name: string): Promise<string[]> {
  const r = await call(s, 'load_component', { path: fixture(name) });
  expect(r.isError, text(r)).toBeFalsy();
  return r.structuredContent?.tools as string[];
}

async function result(s: McpSession, tool: string, args: Record<string, unknown> = {}): Promise<unknown> {
  const r = await call(s, tool, args);
  expect(r.isError, `${tool}: ${text(r)}`).toBeFalsy();
  return r.structuredContent?.result;
}

async function toolNames(s: McpSession): Promise<string[]> {
  return (await s.client.listTools()).tools.map((t) => t.name).sort();
}

describe('resources, JS components and docs', () => {
  const t = tempHome();
  let s: McpSession;
  beforeAll(async () => {
    s = await startStdioSession({ home: t.home });
    for (const name of ['resources', 'kv-store', 'text-tools', 'docs']) await load(s, name);
    await s.client.listTools();
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it('resources: constructor returns a handle, methods take it as self, static returns a new one', async () => {
    const P = 'test_res_counters_counter_';
    const h = await result(s, `${P}new`, { start: 5 });
    expect(h).toMatch(/^\S+$/);
    expect(await result(s, `${P}increment`, { self: h, by: 3 })).toBe(8);
    expect(await result(s, `${P}get`, { self: h })).toBe(8);
    const z = await result(s, `${P}make_zero`);
    expect(typeof z).toBe('string');
    expect(z).not.toBe(h);
    expect(await result(s, `${P}get`, { self: z })).toBe(0);
    expect(await result(s, `${P}increment`, { self: z, by: 2 })).toBe(2);
    expect(await result(s, `${P}get`, { self: h })).toBe(8); // the first counter is untouched
  });

  it.each([['bogus'], ['counter#999999'], ['']])('resources: handle %j is a clear isError', async (handle) => {
    const r = await call(s, 'test_res_counters_counter_get', { self: handle });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/handle/);
    expect(await result(s, 'test_res_counters_counter_get', { self: await result(s, 'test_res_counters_counter_new', { start: 1 }) })).toBe(1);
  });

  it('kv-store (JS): a store handle keeps state across calls', async () => {
    const P = 'test_kv_kv_store_';
    const a = await result(s, `${P}new`);
    const b = await result(s, `${P}new`);
    expect(a).not.toBe(b);
    await result(s, `${P}set`, { self: a, key: 'x', value: '1' });
    await result(s, `${P}set`, { self: a, key: 'y', value: '2' });
    expect(await result(s, `${P}get`, { self: a, key: 'x' })).toBe('1');
    expect(await result(s, `${P}get`, { self: b, key: 'x' })).toBeNull();
    expect(await result(s, `${P}keys`, { self: a })).toEqual(['x', 'y']);
    expect(await result(s, `${P}delete`, { self: a, key: 'x' })).toBe(true);
    expect(await result(s, `${P}delete`, { self: a, key: 'x' })).toBe(false);
    expect(await result(s, `${P}keys`, { self: a })).toEqual(['y']);
    const bad = await call(s, `${P}keys`, { self: 'store#nope' });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/handle/);
  });

  it('kv-store (JS): no environment is visible without a grant', async () => {
    expect(await result(s, 'get_env', { name: 'PATH' })).toBeNull();
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    ['reverse', { input: 'abc😀' }, '😀cba'],
    ['test_text_tools_text_word_count', { input: 'one two  three' }, 3],
    ['test_text_tools_text_slugify', { input: 'Hello, World!' }, 'hello-world'],
    ['test_text_tools_text_split', { input: 'a,b,,c', separator: ',' }, ['a', 'b', '', 'c']],
    ['test_text_tools_text_join', { parts: ['a', 'b'], separator: '-' }, 'a-b'],
    ['test_text_tools_text_analyze', { input: 'hi there\nfriend' }, { 'word-count': 3, 'char-count': 15, 'line-count': 2, 'longest-word': 'friend' }],
    ['test_text_tools_text_analyze', { input: '' }, { 'word-count': 0, 'char-count': 0, 'line-count': expect.any(Number), 'longest-word': null }],
    ['test_text_tools_text_first_word', { input: '  lead word' }, 'lead'],
    ['test_text_tools_text_first_word', { input: '   ' }, null],
    ['test_text_tools_text_parse_int', { input: '-42' }, -42],
    ['test_text_tools_text_parse_int', { input: '9223372036854775807' }, '9223372036854775807'],
    ['test_text_tools_text_apply', { input: 'Hi', change: { tag: 'upper' } }, 'HI'],
    ['test_text_tools_text_apply', { input: 'ab', change: { tag: 'repeat', val: 3 } }, 'ababab'],
    ['test_text_tools_text_apply', { input: 'x', change: { tag: 'prefix', val: '> ' } }, '> x'],
  ])('text-tools (JS): %s %j', async (tool, args, expected) => {
    expect(await result(s, tool, args)).toEqual(expected);
  });

  it('text-tools (JS): parse-int err is isError with {error}', async () => {
    const r = await call(s, 'test_text_tools_text_parse_int', { input: 'x1' });
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toEqual({ error: 'not an integer: "x1"' });
  });

  it('descriptions: generated for JS components (no docs), from package-docs for docs.wasm', async () => {
    const tools = new Map((await s.client.listTools()).tools.map((x) => [x.name, x.description ?? '']));
    expect(tools.get('reverse')).toMatch(/reverse/);
    expect(tools.get('test_text_tools_text_split')).toMatch(/split.*input.*separator/s);
    expect(tools.get('test_kv_kv_store_new')).toMatch(/store/);
    const docsHello = [...tools.keys()].find((n) => n.endsWith('hello'));
    expect(tools.get(docsHello!)).toBe('Returns a friendly greeting.');
    expect(tools.get('api_run')).toBe('Runs the job and returns 7.');
    expect(await result(s, docsHello!)).toBe('hello from docs');
    expect(await result(s, 'api_run')).toBe(7);
  });
});

describe('collisions and restarts', () => {
  const t = tempHome();
  afterAll(() => t.cleanup());
  let namesBefore: string[] = [];

  it('both hellos stay reachable under distinct names and list_changed is sent', async () => {
    const s = await startStdioSession({ home: t.home });
    try {
      expect(await load(s, 'collide-a')).toEqual(['hello', 'test_dup_api_run']);
      await expect.poll(() => s.listChanged()).toBe(1);
      const b = await load(s, 'collide-b');
      await expect.poll(() => s.listChanged()).toBe(2);
      expect(b).toEqual(['collide-b__hello', 'collide-b__test_dup_api_run']);
      const names = await toolNames(s);
      expect(names).toEqual(expect.arrayContaining(['collide-a__hello', 'collide-b__hello', 'collide-a__test_dup_api_run', 'collide-b__test_dup_api_run']));
      expect(names).not.toContain('hello');
      expect(await result(s, 'collide-a__hello')).toBe('hello from a');
      expect(await result(s, 'collide-b__hello')).toBe('hello from b');
      expect(await result(s, 'collide-a__test_dup_api_run')).toBe(1);
      expect(await result(s, 'collide-b__test_dup_api_run')).toBe(2);
      await load(s, 'all-types');
      await load(s, 'resources');
      namesBefore = await toolNames(s);
    } finally {
      await s.close();
    }
  }, 30_000);

  it('after a restart the same components and names are back without a load', async () => {
    const s = await startStdioSession({ home: t.home });
    try {
      expect(await toolNames(s)).toEqual(namesBefore);
      const list = (await call(s, 'list_components')).structuredContent?.components as Array<{ id: string }>;
      expect(list.map((c) => c.id).sort()).toEqual(['all-types', 'collide-a', 'collide-b', 'resources']);
      expect(await result(s, 'collide-b__hello')).toBe('hello from b');
      expect(await result(s, 'greet', { name: 'again' })).toBe('hello, again');
      const h = await result(s, 'test_res_counters_counter_new', { start: 9 });
      expect(await result(s, 'test_res_counters_counter_get', { self: h })).toBe(9);

      const before = s.listChanged();
      const r = await call(s, 'unload_component', { id: 'collide-b' });
      expect(r.isError, text(r)).toBeFalsy();
      await expect.poll(() => s.listChanged()).toBeGreaterThan(before);
      const names = await toolNames(s);
      expect(names.some((n) => n.startsWith('collide-b'))).toBe(false);
      // With b gone, a's hello is unique again and takes the plain name.
      expect(names).toContain('hello');
      expect(await result(s, 'hello')).toBe('hello from a');
      const gone = await call(s, 'collide-b__hello').catch((e: unknown) => e);
      expect(gone).toBeInstanceOf(Error);
      namesBefore = names;
    } finally {
      await s.close();
    }
  }, 30_000);

  it('an unloaded component stays gone after another restart', async () => {
    const s = await startStdioSession({ home: t.home });
    try {
      expect(await toolNames(s)).toEqual(namesBefore);
      const list = (await call(s, 'list_components')).structuredContent?.components as Array<{ id: string }>;
      expect(list.map((c) => c.id)).not.toContain('collide-b');
      expect(await result(s, 'collide-a__test_dup_api_run'.replace('collide-a__', ''))).toBe(1);
    } finally {
      await s.close();
    }
  }, 30_000);
});
