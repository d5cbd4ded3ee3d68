import { describe, expect, it } from 'vitest';
import { coreInstanceCounts, splitMemoryBudget, type ModuleLimits } from '../../src/runtime/memory-split.js';
import { isWassetteError } from '../../src/errors.js';

const PAGE = 65536;
const MiB = 1024 * 1024;
const mem = (minPages: number, maxPages?: number) => ({
  minBytes: minPages * PAGE,
  ...(maxPages !== undefined ? { maxBytes: maxPages * PAGE } : {}),
  unit: PAGE,
});
const tab = (min: number, max?: number) => ({ minBytes: min * 16, ...(max !== undefined ? { maxBytes: max * 16 } : {}), unit: 16 });

function committed(mods: ModuleLimits[], limit: number): number {
  const shares = splitMemoryBudget(mods, limit);
  return mods.reduce((n, m, i) => n + m.instances * [...shares[i]!.memories, ...shares[i]!.tables].reduce((a, b) => a + b, 0), 0);
}

describe('splitMemoryBudget', () => {
  it('keeps the sum over all core instances within the limit', () => {
    for (const limit of [64 * PAGE, 64 * MiB, 512 * MiB, 100 * PAGE + 7]) {
      for (const k of [1, 2, 16, 50]) {
        const mods: ModuleLimits[] = [
          { memories: [mem(1)], tables: [tab(1)], instances: k },
          { memories: [mem(0), mem(1, 1000)], tables: [tab(0), tab(5, 5)], instances: 1 },
          { memories: [], tables: [], instances: 3 },
        ];
        expect(committed(mods, limit)).toBeLessThanOrEqual(limit);
      }
    }
  });

  it('gives the main memory of a componentize-js-like component nearly all of the limit', () => {
    // Shape measured on fixtures/js/kv-store: one 145-page main memory + bounded tables.
    const mods: ModuleLimits[] = [
      { memories: [mem(145)], tables: [tab(7694, 7694)], instances: 1 },
      { memories: [], tables: [], instances: 1 },
      { memories: [], tables: [tab(11, 11)], instances: 1 },
    ];
    const [main] = splitMemoryBudget(mods, 64 * MiB);
    expect(main!.memories[0]!).toBeGreaterThan(63 * MiB);
    expect(main!.tables[0]).toBe(7694 * 16);
  });

  it('shares equally between unbounded memories, tables at a sixteenth', () => {
    const shares = splitMemoryBudget([{ memories: [mem(1)], tables: [tab(1)], instances: 4 }], 64 * PAGE);
    const m = shares[0]!.memories[0]!;
    const t = shares[0]!.tables[0]!;
    expect(m).toBeGreaterThanOrEqual(14 * PAGE);
    expect(4 * (m + t)).toBeLessThanOrEqual(64 * PAGE);
    // Memories round down to whole pages; the finer-grained table may take the remainder of its instance's page.
    expect(t).toBeLessThanOrEqual(m / 8);
  });

  it('keeps a declared maximum smaller than the share', () => {
    const [s] = splitMemoryBudget([{ memories: [mem(1, 2), mem(1)], tables: [tab(1, 10)], instances: 1 }], 64 * PAGE);
    expect(s!.memories[0]).toBe(2 * PAGE);
    expect(s!.tables[0]).toBe(160);
    expect(s!.memories[1]!).toBeGreaterThan(60 * PAGE);
  });

  it('refuses, naming the limit, when the minimum sizes alone exceed it', () => {
    const mods: ModuleLimits[] = [{ memories: [mem(10)], tables: [], instances: 16 }];
    let err: unknown;
    try {
      splitMemoryBudget(mods, 100 * PAGE);
    } catch (e) {
      err = e;
    }
    expect(isWassetteError(err, 'memory-limit')).toBe(true);
    expect(String((err as Error).message)).toContain(String(100 * PAGE));
    expect(() => splitMemoryBudget([{ memories: [], tables: [tab(5000)], instances: 2 }], 9999 * 16)).toThrow(/memory limit/);
    expect(committed(mods, 160 * PAGE)).toBe(160 * PAGE);
  });
});

describe('coreInstanceCounts', () => {
  const entry = `const module0 = getCoreModule('c.core.wasm');
    const module1 = getCoreModule('c.core2.wasm');
    ({ exports: exports0 } = yield instantiateCore(yield module0));
    ({ exports: exports1 } = yield instantiateCore(yield module0));
    ({ exports: exports2 } = await instantiateCore(await module1, { a: exports0 }));`;
  it('counts each instantiation of each module file', () => {
    expect(coreInstanceCounts(entry, ['c.core.wasm', 'c.core2.wasm'])).toEqual(
      new Map([
        ['c.core.wasm', 2],
        ['c.core2.wasm', 1],
      ]),
    );
  });
  it('counts a bound but unmatched module once and refuses an unbound one', () => {
    expect(coreInstanceCounts(`const module0 = getCoreModule('x.wasm');`, ['x.wasm']).get('x.wasm')).toBe(1);
    expect(() => coreInstanceCounts(entry, ['c.core.wasm', 'c.core2.wasm', 'other.wasm'])).toThrow(/never binds/);
  });
});
