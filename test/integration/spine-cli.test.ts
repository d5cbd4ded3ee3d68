// End to end through the real CLI: `component load|list|unload --json`, `inspect --json`, one-line
// errors, and a raw stdio session proving stdout carries nothing but JSON-RPC, even when a component prints.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, call, childEnv, fixture, runCli, startStdioSession, tempHome, type CliResult } from '../helpers/cli.js';

function json(r: CliResult): any {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function expectOneLineError(r: CliResult, fragment: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^wassette: /);
  expect(lines[0]).toMatch(fragment);
}

describe('wassette component / inspect', () => {
  const t = tempHome();
  afterAll(() => t.cleanup());
  const cli = (...args: string[]) => runCli(args, { home: t.home });

  it('inspect --json shows tools, schemas and the WIT without loading anything', async () => {
    const info = json(await cli('inspect', fixture('all-types'), '--json'));
    expect(info.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const tools = new Map<string, any>(info.tools.map((x: any) => [x.name, x]));
    expect(tools.size).toBe(28);
    expect(tools.get('greet').inputSchema).toEqual({
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
      additionalProperties: false,
    });
    expect(tools.get('greet').outputSchema.properties.result).toEqual({ type: 'string' });
    expect(tools.get('test_types_echo_echo_color').inputSchema.properties.value.enum).toEqual(['red', 'green', 'light-blue']);
    for (const line of [
      'interface echo',
      'echo-option-option: func(value: option<option<u32>>) -> option<option<u32>>',
      'greet: func(name: string) -> string',
      'divide: func(a: s32, b: s32) -> result<s32, string>',
      'record person',
      'first-name: string',
      'flags perms',
    ]) {
      expect(info.wit).toContain(line);
    }
    expect(json(await cli('component', 'list', '--json'))).toEqual({ components: [] });
  });

  it('inspect --json of a resource component lists constructor, methods and static', async () => {
    const info = json(await cli('inspect', fixture('resources'), '--json'));
    expect(info.tools.map((x: any) => x.name)).toEqual([
      'test_res_counters_counter_new',
      'test_res_counters_counter_increment',
      'test_res_counters_counter_get',
      'test_res_counters_counter_make_zero',
    ]);
    expect(info.wit).toMatch(/resource counter/);
    expect(info.wit).toMatch(/constructor\(start: u32\)/);
  });

  it('component load, list and unload --json, visible to a server on the same home', async () => {
    const loaded = json(await cli('component', 'load', fixture('all-types'), '--json'));
    expect(loaded.id).toBe('all-types');
    expect(loaded.tools).toContain('greet');
    json(await cli('component', 'load', `file://${fixture('resources')}`, '--json'));
    const list = json(await cli('component', 'list', '--json'));
    expect(list.components.map((c: any) => c.id)).toEqual(['all-types', 'resources']);
    expect(list.components[0].digest).toBe(loaded.digest);

    const s = await startStdioSession({ home: t.home });
    try {
      expect((await call(s, 'greet', { name: 'cli' })).structuredContent).toEqual({ result: 'hello, cli' });
    } finally {
      await s.close();
    }

    expect(json(await cli('component', 'unload', 'resources', '--json'))).toEqual({ status: 'unloaded', id: 'resources' });
    expect(json(await cli('component', 'list', '--json')).components.map((c: any) => c.id)).toEqual(['all-types']);
  }, 30_000);

  it.each<[string, string[], RegExp]>([
    ['load of a missing file', ['component', 'load', '/nonexistent/x.wasm'], /no such file/],
    ['load of a core module', ['component', 'load', fixture('core-module')], /core WebAssembly module/],
    ['load with an unsupported import', ['component', 'load', fixture('missing-import'), '--json'], /example:missing\/thing/],
    ['unload of an unknown id', ['component', 'unload', 'nope'], /nope/],
    ['inspect of a directory', ['inspect', ROOT], /not a regular file/],
    ['inspect without a ref', ['inspect'], /missing component path/],
    ['an unknown subcommand', ['component', 'frobnicate'], /unknown subcommand/],
    ['an unknown flag', ['component', 'list', '--bogus'], /bogus/],
  ])('%s exits non-zero with one line on stderr', async (_what, args, fragment) => {
    expectOneLineError(await cli(...args), fragment);
  });
});

/** A hand-rolled JSON-RPC client that records every stdout line, so nothing non-protocol can hide. */
class RawSession {
  readonly lines: string[] = [];
  stderr = '';
  private buf = '';
  private nextId = 1;
  private waiters = new Map<number, (msg: any) => void>();
  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => {
      this.buf += d.toString();
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        this.lines.push(line);
        try {
          const msg = JSON.parse(line);
          if (typeof msg.id === 'number') this.waiters.get(msg.id)?.(msg);
        } catch {
          // recorded; the test fails on it
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }
  static start(home: string): RawSession {
    return new RawSession(spawn(process.execPath, [CLI, 'serve'], { env: childEnv(home), cwd: ROOT, stdio: 'pipe' }));
  }
  request(method: string, params: unknown): Promise<any> {
    const id = this.nextId++;
    const p = new Promise<any>((res) => this.waiters.set(id, res));
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return p;
  }
  notify(method: string): void {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`);
  }
  async close(): Promise<number | null> {
    const exited = new Promise<number | null>((res) => this.child.on('exit', (c) => res(c)));
    this.child.stdin.end();
    return exited;
  }
}

describe('stdio mode keeps stdout for the protocol', () => {
  const t = tempHome();
  afterAll(() => t.cleanup());

  it('a component printing to stdout and stderr lands in logging notifications and stderr, never raw on stdout', async () => {
    const s = RawSession.start(t.home);
    const init = await s.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
    expect(init.result.serverInfo.name).toBe('wassette');
    s.notify('notifications/initialized');
    const loaded = await s.request('tools/call', { name: 'load_component', arguments: { path: fixture('escape-probe') } });
    expect(loaded.result.isError, JSON.stringify(loaded)).toBeFalsy();
    const said = await s.request('tools/call', { name: 'say', arguments: { text: 'MARKER-123' } });
    expect(said.result.structuredContent).toEqual({ result: 'MARKER-123' });
    // Logging notifications are sent before the result they belong to.
    expect(await s.close()).toBe(0);

    for (const line of s.lines) {
      const msg = JSON.parse(line);
      expect(msg.jsonrpc).toBe('2.0');
    }
    const logged = s.lines
      .map((l) => JSON.parse(l))
      .filter((m) => m.method === 'notifications/message')
      .map((m) => JSON.stringify(m.params.data));
    expect(logged.some((d) => d.includes('MARKER-123') && d.includes('"stdout"'))).toBe(true);
    expect(logged.some((d) => d.includes('err:MARKER-123') && d.includes('"stderr"'))).toBe(true);
    expect(s.lines.some((l) => l.startsWith('MARKER-123'))).toBe(false);
    expect(s.stderr).toContain('err:MARKER-123');
  }, 60_000);
});
