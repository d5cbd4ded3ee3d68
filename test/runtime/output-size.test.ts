import { describe, expect, it } from 'vitest';
import { jsonSizeUpTo } from '../../src/runtime/output-size.js';

const exact = (v: unknown): number =>
  Buffer.byteLength(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : ArrayBuffer.isView(x) ? Array.from(x as Uint8Array) : x)));

describe('jsonSizeUpTo', () => {
  it.each<[string, unknown]>([
    ['string', 'hello'],
    ['unicode string', 'héllo ✓'],
    ['number', 12.5],
    ['negative', -3],
    ['bool', false],
    ['null', null],
    ['array', [1, 'a', true, null]],
    ['empty array', []],
    ['object', { a: 1, 'b-c': 'x', nested: { d: [1, 2] } }],
    ['object with undefined', { a: 1, b: undefined }],
    ['variant', { tag: 'some', val: { x: 1 } }],
    ['bigint', 12345678901234567890n],
    ['bytes', new Uint8Array([0, 10, 255])],
  ])('matches JSON.stringify for %s', (_name, value) => {
    expect(jsonSizeUpTo(value, 1e9)).toBe(exact(value));
  });

  it('stops early past the limit', () => {
    const big = Array.from({ length: 100_000 }, () => 'xxxxxxxxxx');
    const n = jsonSizeUpTo(big, 1_000);
    expect(n).toBeGreaterThan(1_000);
    expect(n).toBeLessThan(exact(big));
  });

  it('measures a large string without building JSON', () => {
    expect(jsonSizeUpTo('x'.repeat(10_000_000), 100)).toBe(10_000_002);
  });
});
