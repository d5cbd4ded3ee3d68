// A result's lifting is priced in guest memory before the glue copies it (fixtures/wat/alias-lists.wat):
// aliasing entries and element-count attacks are refused, host memory stays bounded, the next call works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentRuntime } from '../../src/runtime/component-runtime.js';
import { sha256Hex } from '../../src/runtime/transpile-cache.js';
import type { CallTarget } from '../../src/runtime/worker-protocol.js';
import type { WitFunction, WitType } from '../../src/component/wit-types.js';
import { denyAllSpec } from '../../src/sandbox/spec.js';

const MiB = 1024 * 1024;
const LIMIT = 4 * MiB;
const spec = denyAllSpec({ timeoutMs: 60_000, memoryBytes: 96 * MiB, maxOutputBytes: LIMIT });
const u32 = { kind: 'u32' } as const;
const bytes: WitType = { kind: 'list', element: { kind: 'u8' } };
const fn = (name: string, params: string[], result: WitFunction['result']): CallTarget => ({
  function: { name, kind: 'freestanding', params: params.map((p) => ({ name: p, type: u32 })), result },
});
const alias = fn('alias', ['n', 'size'], { kind: 'list', element: bytes });
const aliasStr = fn('alias-str', ['n', 'size'], { kind: 'list', element: { kind: 'string' } });
const many = fn('many', ['n'], { kind: 'list', element: { kind: 'tuple', elements: [{ kind: 'u8' }] } });
const empties = fn('empties', ['n'], { kind: 'list', element: bytes });

let dir: string;
let rt: ComponentRuntime;
let digest: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wassette-lift-'));
  rt = new ComponentRuntime({ cacheDir: dir, log: () => undefined });
  const wasm = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'build', 'alias-lists.wasm'));
  digest = `sha256:${sha256Hex(wasm)}`;
  await rt.prepare(digest, wasm);
});

afterAll(async () => {
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one call while sampling the process RSS (the worker is a thread of this process); returns the growth of the peak. */
async function peakGrowth<T>(run: () => Promise<T>): Promise<{ out: T; growthMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  try {
    const out = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { out, growthMb: (peak - before) / MiB };
  } finally {
    clearInterval(timer);
  }
}

// Allowed growth: the guest's own memory (the region it fills, up to 64 MiB for the largest attack here)
// plus the lift budget (2x the limit) with headroom for a worker restart and V8 noise. Without the guard
// the alias attack alone copies 64 x 16 MiB = 1 GiB, and the element attacks create tens of millions of objects.
const boundMb = (guestMb: number): number => guestMb + (LIMIT * 8) / MiB + 64;

describe('lift guard (alias-lists)', () => {
  it('a small result of each shape is lifted as before', async () => {
    const out = await rt.call('al', digest, spec, alias, [3, 5]);
    expect(out).toMatchObject({ ok: true });
    expect((out as { value: unknown[] }).value).toHaveLength(3);
    expect(await rt.call('al', digest, spec, aliasStr, [2, 3])).toMatchObject({ ok: true, value: ['xxx', 'xxx'] });
    expect(await rt.call('al', digest, spec, many, [2])).toMatchObject({ ok: true });
    expect(await rt.call('al', digest, spec, empties, [2])).toMatchObject({ ok: true });
  });

  it('a result just under the output limit is not refused by the guard', async () => {
    // 900 000 bytes of 120 are 3.6 MB as a JSON number array: within the 4 MiB limit.
    const out = await rt.call('al', digest, spec, alias, [1, 900_000]);
    expect(out).toMatchObject({ ok: true });
  });

  for (const [label, target, args, guestMb] of [
    ['64 entries aliasing one 16 MiB region (list<list<u8>>)', alias, [64, 16 * MiB], 17],
    ['192 entries aliasing one 16 MiB region (list<list<u8>>)', alias, [192, 16 * MiB], 17],
    ['64 entries aliasing one 1 MiB region, each under the limit', alias, [64, MiB], 2],
    ['64 strings aliasing one 3 MiB region (list<string>)', aliasStr, [64, 3 * MiB], 4],
    ['50 million one-byte tuples (list<tuple<u8>>)', many, [50_000_000], 48],
    ['8 million empty lists (list<list<u8>>)', empties, [8_000_000], 62],
  ] as const) {
    it(`refused before copying, memory bounded, next call works: ${label}`, async () => {
      const { out, growthMb } = await peakGrowth(() => rt.call('al', digest, spec, target, [...args]));
      expect(out).toMatchObject({ ok: false, code: 'output-too-large' });
      console.log(`${label}: peak RSS growth ${growthMb.toFixed(1)} MiB`);
      expect(growthMb).toBeLessThan(boundMb(guestMb));
      expect(await rt.call('al', digest, spec, aliasStr, [1, 2])).toMatchObject({ ok: true, value: ['xx'] });
    });
  }
});
