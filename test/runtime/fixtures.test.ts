// Runtime behaviour on the shared fixtures (fixtures/build), plus the numbers reported in the brief.
import type { NamedField } from '../../src/component/wit-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentRuntime } from '../../src/runtime/component-runtime.js';
import { sha256Hex } from '../../src/runtime/transpile-cache.js';
import { checkImports } from '../../src/runtime/host-imports.js';
import type { CallTarget } from '../../src/runtime/worker-protocol.js';
import type { WitFunction } from '../../src/component/wit-types.js';
import { denyAllSpec, type SandboxSpec } from '../../src/sandbox/spec.js';

const build = join(import.meta.dirname, '..', '..', 'fixtures', 'build');
const spec: SandboxSpec = denyAllSpec({ timeoutMs: 10_000, memoryBytes: 64 * 1024 * 1024, maxOutputBytes: 64 * 1024 });
const str = { kind: 'string' } as const;
const u32 = { kind: 'u32' } as const;
const target = (name: string, params: WitFunction['params'], result?: WitFunction['result'], iface?: string): CallTarget => ({
  ...(iface ? { interface: iface } : {}),
  function: { name, kind: 'freestanding', params, ...(result ? { result } : {}) },
});

let dir: string;
let rt: ComponentRuntime;
const digest: Record<string, string> = {};
const timings: Record<string, number> = {};

async function prepare(name: string): Promise<void> {
  const bytes = readFileSync(join(build, `${name}.wasm`));
  digest[name] = `sha256:${sha256Hex(bytes)}`;
  const t = performance.now();
  await rt.prepare(digest[name]!, bytes);
  timings[`transpile ${name}`] = performance.now() - t;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wassette-fx-'));
  rt = new ComponentRuntime({ cacheDir: dir, log: () => undefined });
  for (const n of ['spin', 'grow', 'recurse', 'big-output', 'missing-import', 'text-tools', 'escape-probe']) await prepare(n);
});

afterAll(async () => {
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    Object.entries(timings)
      .map(([k, v]) => `${k}: ${v.toFixed(2)} ms`)
      .join('\n'),
  );
});

describe('runtime on fixtures', () => {
  it('spin: timeout, then the restarted instance answers', async () => {
    const out = await rt.call('spin', digest.spin!, { ...spec, timeoutMs: 1_000 }, target('spin', []), []);
    expect(out).toMatchObject({ ok: false, code: 'timeout' });
    expect(out.durationMs).toBeLessThan(2_000 + 1_500);
    expect(await rt.call('spin', digest.spin!, spec, target('ping', [], u32), [])).toMatchObject({ ok: true, value: 42 });
  });

  it('grow: growth stops at the memory cap', async () => {
    const out = await rt.call('grow', digest.grow!, { ...spec, memoryBytes: 8 * 65536 }, target('grow', [{ name: 'pages', type: u32 }], u32), [1]);
    expect(out).toMatchObject({ ok: true, value: 7 });
  });

  it('recurse: stack exhaustion is a trap; bounded depth works after restart', async () => {
    expect(await rt.call('rec', digest.recurse!, spec, target('recurse', [], u32), [])).toMatchObject({ ok: false, code: 'trap' });
    expect(await rt.call('rec', digest.recurse!, spec, target('depth', [{ name: 'n', type: u32 }], u32), [100])).toMatchObject({ ok: true, value: 100 });
  });

  it('big-output: results over maxOutputBytes are refused', async () => {
    const blob = target('blob', [{ name: 'n', type: u32 }], str);
    const small = { ...spec, maxOutputBytes: 1_000 };
    expect(await rt.call('big', digest['big-output']!, small, blob, [10])).toMatchObject({ ok: true, value: 'x'.repeat(10) });
    expect(await rt.call('big', digest['big-output']!, small, blob, [2_000])).toMatchObject({ ok: false, code: 'output-too-large' });
  });

  it('big-output: a string far over the worker heap limit is refused before it is copied out', async () => {
    // Lifting 50 MB into a 16 MB V8 heap would abort the whole process, not just the worker.
    const tight = new ComponentRuntime({ cacheDir: dir, log: () => undefined, heapMb: 16 });
    try {
      const blob = target('blob', [{ name: 'n', type: u32 }], str);
      const limits = { ...spec, memoryBytes: 64 * 1024 * 1024, maxOutputBytes: 1024 * 1024 };
      const out = await tight.call('big', digest['big-output']!, limits, blob, [50_000_000]);
      expect(out).toMatchObject({ ok: false, code: 'output-too-large' });
      expect((out as unknown as { data: { size: number } }).data.size).toBeGreaterThanOrEqual(50_000_000);
      expect(await tight.call('big', digest['big-output']!, limits, blob, [3])).toMatchObject({ ok: true, value: 'xxx' });
    } finally {
      await tight.close();
    }
  });

  it('missing-import: refused at load and at instantiation, naming the interface', async () => {
    expect(() => checkImports(['example:missing/thing', 'wasi:cli/environment@0.2.3'])).toThrow(/example:missing\/thing/);
    const out = await rt.call('miss', digest['missing-import']!, spec, target('call-thing', [{ name: 'x', type: u32 }], u32), [1]);
    expect(out).toMatchObject({ ok: false, code: 'unsupported-import' });
    expect(out.ok ? '' : out.message).toMatch(/example:missing\/thing/);
  });

  it('escape-probe: guest stdout/stderr come back with the call', async () => {
    const seen: string[] = [];
    const out = await rt.call('probe', digest['escape-probe']!, spec, target('say', [{ name: 'text', type: str }], str), ['hi'], {
      onOutput: (stream, text) => seen.push(`${stream}:${text}`),
    });
    expect(out).toMatchObject({ ok: true, value: 'hi', output: { stdout: 'hi\n', stderr: 'err:hi\n' } });
    expect(seen.join('')).toContain('stdout:hi');
  });

  it('escape-probe: host denials are reported with the call and to the hook', async () => {
    const seen: string[] = [];
    const connect = target(
      'tcp-connect',
      [...['a', 'b', 'c', 'd'].map((name): NamedField => ({ name, type: { kind: 'u8' } })), { name: 'port', type: { kind: 'u16' } }],
      { kind: 'result', err: str },
    );
    const out = await rt.call('probe', digest['escape-probe']!, spec, connect, [127, 0, 0, 1, 9], { onDenial: (d) => seen.push(d.capability) });
    expect(out).toMatchObject({ ok: true, value: { tag: 'err' } });
    expect(out.denials.length).toBeGreaterThan(0);
    expect(out.denials[0]).toMatchObject({ capability: expect.stringMatching(/network|sockets/) });
    expect(seen.length).toBe(out.denials.length);
  });

  it('escape-probe: forwarded output is capped per call with a note', async () => {
    const capped = new ComponentRuntime({ cacheDir: dir, log: () => undefined, maxStreamBytes: 100 });
    try {
      const say = target('say', [{ name: 'text', type: str }], str);
      const out = await capped.call('probe', digest['escape-probe']!, spec, say, ['y'.repeat(1_000)]);
      expect(out.ok).toBe(true);
      expect(out.output.stdout.startsWith('y'.repeat(100))).toBe(true);
      expect(out.output.stdout).toMatch(/stdout truncated: more than 100 bytes in one call/);
      expect(out.output.stdout.length).toBeLessThan(200);
      // The cap is per call: the next call's output starts afresh.
      const next = await capped.call('probe', digest['escape-probe']!, spec, say, ['ok']);
      expect(next.output.stdout).toBe('ok\n');
    } finally {
      await capped.close();
    }
  });

  it('text-tools (JS component): calls, interface results, and timings', async () => {
    const reverse = target('reverse', [{ name: 'input', type: str }], str);
    let t = performance.now();
    expect(await rt.call('tt1', digest['text-tools']!, spec, reverse, ['abc'])).toMatchObject({ ok: true, value: 'cba' });
    timings['cold start + first call (JS component)'] = performance.now() - t;
    t = performance.now();
    expect(await rt.call('tt2', digest['text-tools']!, spec, reverse, ['abc'])).toMatchObject({ ok: true, value: 'cba' });
    timings['warm start (modules compiled) + first call'] = performance.now() - t;
    const n = 200;
    t = performance.now();
    for (let i = 0; i < n; i++) await rt.call('tt1', digest['text-tools']!, spec, reverse, ['abc']);
    timings['trivial call round trip (avg)'] = (performance.now() - t) / n;
    const parseInt = target('parse-int', [{ name: 'input', type: str }], { kind: 'result', ok: { kind: 's64' }, err: str }, 'test:text-tools/text');
    expect(await rt.call('tt1', digest['text-tools']!, spec, parseInt, ['42'])).toMatchObject({ ok: true, value: { tag: 'ok', val: 42n } });
    const bad = await rt.call('tt1', digest['text-tools']!, spec, parseInt, ['x']);
    expect(bad).toMatchObject({ ok: true, value: { tag: 'err' } });
    // A second runtime on the same cache directory reuses the transpiled output.
    const again = new ComponentRuntime({ cacheDir: dir, log: () => undefined });
    t = performance.now();
    await again.prepare(digest['text-tools']!, readFileSync(join(build, 'text-tools.wasm')));
    timings['prepare from disk cache (JS component)'] = performance.now() - t;
    expect(timings['prepare from disk cache (JS component)']).toBeLessThan(timings['transpile text-tools']!);
    await again.close();
  });
});
