import { describe, expect, it } from 'vitest';
import { PolicyWatch } from '../../src/core/policy-watch.js';

function setup() {
  const state = {
    generation: 1,
    ids: ['a', 'b'],
    fp: new Map([
      ['a', 'x'],
      ['b', 'y'],
    ]),
  };
  const watch = new PolicyWatch(
    () => state.generation,
    () => state.ids,
    (id) => {
      const v = state.fp.get(id);
      if (v === undefined) throw new Error('gone');
      return v;
    },
  );
  const seen: string[] = [];
  watch.on((id) => seen.push(id));
  return { state, watch, seen };
}

describe('PolicyWatch', () => {
  it('the first check only records; later checks report changed components once', () => {
    const { state, watch, seen } = setup();
    watch.check();
    expect(seen).toEqual([]);
    state.fp.set('b', 'y2');
    watch.check(); // same generation: nothing read
    expect(seen).toEqual([]);
    state.generation++;
    watch.check();
    expect(seen).toEqual(['b']);
    state.generation++;
    watch.check();
    expect(seen).toEqual(['b']);
  });

  it('a local change is reported at once and not again by the next check', () => {
    const { state, watch, seen } = setup();
    watch.check();
    state.fp.set('a', 'x2');
    watch.changed('a');
    state.generation++;
    watch.check();
    expect(seen).toEqual(['a']);
  });

  it('new and removed components are not policy changes (the tool list announces them)', () => {
    const { state, watch, seen } = setup();
    watch.check();
    state.ids = ['b', 'c'];
    state.fp.set('c', 'z');
    state.generation++;
    watch.check();
    expect(seen).toEqual([]);
  });
});
