import { describe, expect, it } from 'vitest';
import type { WitType } from '../../src/component/wit-types.js';
import { PER_ELEMENT_COST, alignment, byteSize, flatCount, liftCost } from '../../src/runtime/lift-cost.js';

const u8: WitType = { kind: 'u8' };
const u32: WitType = { kind: 'u32' };
const str: WitType = { kind: 'string' };
const list = (element: WitType): WitType => ({ kind: 'list', element });

function memory(words: [number, number][]): DataView {
  const view = new DataView(new ArrayBuffer(1 << 16));
  for (const [at, v] of words) view.setUint32(at, v, true);
  return view;
}

describe('canonical ABI layout', () => {
  it('sizes, alignments and flat counts', () => {
    expect([byteSize(str), alignment(str), flatCount(str)]).toEqual([8, 4, 2]);
    const rec: WitType = {
      kind: 'record',
      fields: [
        { name: 'a', type: u8 },
        { name: 'b', type: { kind: 'u64' } },
      ],
    };
    expect([byteSize(rec), alignment(rec), flatCount(rec)]).toEqual([16, 8, 2]);
    const opt: WitType = { kind: 'option', inner: str };
    expect([byteSize(opt), alignment(opt), flatCount(opt)]).toEqual([12, 4, 3]);
    const res: WitType = { kind: 'result', ok: { kind: 'u64' }, err: str };
    expect([byteSize(res), alignment(res)]).toEqual([16, 8]);
    expect(byteSize({ kind: 'flags', flags: Array.from({ length: 40 }, (_, i) => `f${i}`) })).toBe(8);
    expect(byteSize({ kind: 'enum', cases: Array.from({ length: 300 }, (_, i) => `c${i}`) })).toBe(2);
  });
});

describe('liftCost', () => {
  it('is 0 for results returned in one core value', () => {
    expect(liftCost(u32, memory([]), 5, 10)).toBe(0);
    expect(liftCost(undefined, memory([]), 5, 10)).toBe(0);
  });

  it('counts every entry that aliases one region, and stops at the budget', () => {
    // Return area at 0: list of 64 (ptr, len) pairs at 16, each 1 MiB at 4096.
    const words: [number, number][] = [
      [0, 16],
      [4, 64],
    ];
    for (let i = 0; i < 64; i++) words.push([16 + i * 8, 4096], [20 + i * 8, 1 << 20]);
    const view = memory(words);
    expect(liftCost(list(list(u8)), view, 0, Number.MAX_SAFE_INTEGER)).toBe(
      PER_ELEMENT_COST + 64 * 8 + 64 * PER_ELEMENT_COST + 64 * (PER_ELEMENT_COST + (1 << 20)),
    );
    const stopped = liftCost(list(list(u8)), view, 0, 3 << 20);
    expect(stopped).toBeGreaterThan(3 << 20);
    expect(stopped).toBeLessThan(5 << 20);
    expect(liftCost(list(str), view, 0, 3 << 20)).toBeGreaterThan(3 << 20);
  });

  it('charges element counts without walking them', () => {
    const many = list({ kind: 'tuple', elements: [u8] });
    const t0 = performance.now();
    expect(
      liftCost(
        many,
        memory([
          [0, 16],
          [4, 1_000_000_000],
        ]),
        0,
        1 << 22,
      ),
    ).toBeGreaterThan(1_000_000_000);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('follows options, results and records to their lists', () => {
    const t: WitType = {
      kind: 'result',
      ok: {
        kind: 'record',
        fields: [
          { name: 'n', type: u8 },
          { name: 's', type: str },
        ],
      },
    };
    // disc 0 (ok) at 0, record at 4: n at 4, s at 8 = (ptr 100, len 5000)
    const view = memory([
      [0, 0],
      [8, 100],
      [12, 5000],
    ]);
    expect(liftCost(t, view, 0, 1e9)).toBe(PER_ELEMENT_COST + 5000);
    view.setUint8(0, 1); // err, no payload
    expect(liftCost(t, view, 0, 1e9)).toBe(0);
  });

  it('ignores out-of-bounds pointers (the glue traps on them itself)', () => {
    expect(liftCost(list(u8), memory([]), 1 << 20, 10)).toBe(0);
  });
});
