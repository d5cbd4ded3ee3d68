import { describe, expect, it } from 'vitest';
import type { WitType } from '../../src/component/wit-types.js';
import { HandleTable, argToGuest, camelName, hasHandles, pascalName, resultFromGuest } from '../../src/runtime/handle-table.js';
import { splitResult } from '../../src/runtime/call-outcome.js';

const own: WitType = { kind: 'own', resource: 'counter' };
const borrow: WitType = { kind: 'borrow', resource: 'counter' };

describe('names', () => {
  it.each([
    ['get', 'get', 'Get'],
    ['get-value', 'getValue', 'GetValue'],
    ['make-zero2', 'makeZero2', 'MakeZero2'],
    ['HTTP-code', 'httpCode', 'HttpCode'],
  ])('%s', (wit, camel, pascal) => {
    expect(camelName(wit)).toBe(camel);
    expect(pascalName(wit)).toBe(pascal);
  });
});

describe('HandleTable', () => {
  it('gives stable handles and resolves them by resource', () => {
    const t = new HandleTable();
    const a = {};
    const h = t.put('counter', a);
    expect(h).toBe('counter#1');
    expect(t.put('counter', a)).toBe(h);
    expect(t.put('counter', {})).toBe('counter#2');
    expect(t.get('counter', h)).toBe(a);
    expect(() => t.get('other', h)).toThrow(/is a counter, but a other is expected/);
    expect(() => t.get('counter', 'counter#9')).toThrow(/unknown counter handle "counter#9"/);
    expect(() => t.get('counter', 5)).toThrow(/expected a counter handle string/);
    expect(t.delete(h)).toBe(true);
    expect(() => t.get('counter', h)).toThrow(/unknown/);
  });
});

describe('value walk', () => {
  it.each<[string, WitType, boolean]>([
    ['u32', { kind: 'u32' }, false],
    ['own', own, true],
    ['list<own>', { kind: 'list', element: own }, true],
    ['record without handles', { kind: 'record', fields: [{ name: 'a', type: { kind: 'string' } }] }, false],
    ['result<_, borrow>', { kind: 'result', err: borrow }, true],
    ['variant case', { kind: 'variant', cases: [{ name: 'none' }, { name: 'some', type: own }] }, true],
  ])('hasHandles(%s)', (_n, type, expected) => expect(hasHandles(type)).toBe(expected));

  it('maps nested handles in both directions and records moved ownership', () => {
    const t = new HandleTable();
    const objA = { id: 'a' };
    const objB = { id: 'b' };
    const type: WitType = {
      kind: 'record',
      fields: [
        { name: 'main-counter', type: own },
        { name: 'others', type: { kind: 'list', element: { kind: 'option', inner: borrow } } },
        { name: 'label', type: { kind: 'string' } },
      ],
    };
    const out = resultFromGuest({ mainCounter: objA, others: [objB, undefined], label: 'x' }, type, t);
    expect(out).toEqual({ mainCounter: 'counter#1', others: ['counter#2', undefined], label: 'x' });
    const consumed: string[] = [];
    const back = argToGuest({ 'main-counter': 'counter#1', others: ['counter#2'], label: 'x' }, type, t, consumed);
    expect(back).toEqual({ 'main-counter': objA, others: [objB], label: 'x' });
    expect(consumed).toEqual(['counter#1']);
  });

  it('maps handles inside result and variant payloads', () => {
    const t = new HandleTable();
    const obj = {};
    const res: WitType = { kind: 'result', ok: own, err: { kind: 'string' } };
    expect(resultFromGuest({ tag: 'ok', val: obj }, res, t)).toEqual({ tag: 'ok', val: 'counter#1' });
    expect(resultFromGuest({ tag: 'err', val: 'nope' }, res, t)).toEqual({ tag: 'err', val: 'nope' });
    const v: WitType = { kind: 'variant', cases: [{ name: 'empty' }, { name: 'one-item', type: borrow }] };
    expect(argToGuest({ tag: 'one-item', val: 'counter#1' }, v, t, [])).toEqual({ tag: 'one-item', val: obj });
    expect(argToGuest({ tag: 'empty' }, v, t, [])).toEqual({ tag: 'empty' });
  });
});

describe('splitResult', () => {
  const fnOf = (result?: WitType) => ({ name: 'f', kind: 'freestanding' as const, params: [], ...(result ? { result } : {}) });
  it.each<[string, WitType | undefined, unknown, unknown]>([
    ['plain value', { kind: 'u32' }, 5, { kind: 'ok', value: 5 }],
    ['no result', undefined, undefined, { kind: 'ok', value: undefined }],
    ['result ok', { kind: 'result', ok: { kind: 'u32' } }, { tag: 'ok', val: 3 }, { kind: 'ok', value: 3 }],
    ['result err', { kind: 'result', err: { kind: 'string' } }, { tag: 'err', val: 'bad' }, { kind: 'err', payload: 'bad' }],
  ])('%s', (_n, type, value, expected) => expect(splitResult(fnOf(type), value)).toEqual(expected));
});
