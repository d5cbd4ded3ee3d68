// End to end over stdio: load_component with paths and bytes that are not usable components, and a transpile
// that runs out of time. Each is a clear isError, nothing gets registered, and the server keeps serving.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

describe('load_component with bad input', () => {
  const t = tempHome();
  const files = tempHome('wassette-bad-');
  let s: McpSession;
  let cases: Array<[string, string, RegExp]> = [];

  beforeAll(async () => {
    const allTypes = readFileSync(fixture('all-types'));
    const put = (name: string, bytes: Uint8Array) => {
      const p = join(files.home, name);
      writeFileSync(p, bytes);
      return p;
    };
    const port = await closedPort();
    cases = [
      ['nonexistent path', join(files.home, 'nope.wasm'), /no such file/],
      ['nonexistent file:// URI', `file://${join(files.home, 'nope.wasm')}`, /no such file/],
      ['a directory', files.home, /not a regular file/],
      ['a core module', fixture('core-module'), /core WebAssembly module, not a component/],
      [
        'random bytes',
        put(
          'random.wasm',
          Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) % 256),
        ),
        /not a WebAssembly binary/,
      ],
      ['an empty file', put('empty.wasm', new Uint8Array()), /invalid component: truncated at byte 0/],
      ['a truncated component (half)', put('half.wasm', allTypes.subarray(0, Math.floor(allTypes.length / 2))), /invalid component: truncated/],
      ['a truncated component (header + 3 bytes)', put('stub.wasm', allTypes.subarray(0, 11)), /invalid component: truncated at byte 11/],
      ['a component with an unsupported import', fixture('missing-import'), /example:missing\/thing/],
      ['an oci:// reference without a repository', 'oci://:::bad', /invalid OCI reference/],
      ['an oci:// reference with spaces', 'oci://local host/x y:latest', /invalid OCI reference.*not a valid host name/],
      ['an oci:// registry that is not listening', `oci://127.0.0.1:${port}/x/y:latest`, /cannot reach registry/],
      ['an unknown scheme', 'ftp://example.com/x.wasm', /unsupported scheme "ftp:\/\/"/],
    ];
    s = await startStdioSession({ home: t.home });
    const ok = await call(s, 'load_component', { path: fixture('all-types') });
    expect(ok.isError, text(ok)).toBeFalsy();
  });
  afterAll(async () => {
    await s?.close();
    t.cleanup();
    files.cleanup();
  });

  it('rejects each one clearly, registers nothing and keeps serving', async () => {
    const toolsBefore = (await s.client.listTools()).tools.map((x) => x.name).sort();
    const changedBefore = s.listChanged();
    for (const [what, path, message] of cases) {
      const r = await call(s, 'load_component', { path });
      expect(r.isError, `${what}: ${text(r)}`).toBe(true);
      expect(text(r), what).toMatch(message);
      expect(typeof r.structuredContent?.error?.code, what).toBe('string');
      expect((await call(s, 'greet', { name: what })).structuredContent, what).toEqual({ result: `hello, ${what}` });
    }
    const list = (await call(s, 'list_components')).structuredContent?.components as Array<{ id: string }>;
    expect(list.map((c) => c.id)).toEqual(['all-types']);
    expect((await s.client.listTools()).tools.map((x) => x.name).sort()).toEqual(toolsBefore);
    expect(s.listChanged()).toBe(changedBefore);
  }, 60_000);

  it('names the interface a component needs but the host cannot provide', async () => {
    const r = await call(s, 'load_component', { path: fixture('missing-import') });
    expect(r.structuredContent?.error?.code).toBe('unsupported-import');
    expect(r.structuredContent?.error?.message).toContain('example:missing/thing');
  });

  it('rejects a missing or empty path through the argument schema', async () => {
    for (const args of [{}, { path: '' }, { path: 3 }]) {
      const r = await call(s, 'load_component', args);
      expect(r.isError).toBe(true);
      expect(text(r)).toContain('path');
    }
  });
});

describe('load_component whose transpile runs out of time', () => {
  const t = tempHome();
  let s: McpSession;
  beforeAll(async () => {
    // 1 ms: the transpile process cannot even start in time, so every fresh load times out (a stuck transpile's path).
    s = await startStdioSession({ home: t.home, env: { WASSETTE_TRANSPILE_TIMEOUT_MS: '1' } });
  });
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it('fails with a timeout error naming the limit, registers nothing and keeps serving', async () => {
    const r = await call(s, 'load_component', { path: fixture('docs') });
    expect(r.isError, text(r)).toBe(true);
    expect(r.structuredContent?.error?.code).toBe('timeout');
    expect(r.structuredContent?.error?.message).toMatch(/transpiling took longer than 1 ms, so the transpile process was stopped/);
    expect((await call(s, 'list_components')).structuredContent?.components).toEqual([]);
  });
});
