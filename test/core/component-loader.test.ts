import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { chooseId, describeFetched } from '../../src/core/component-loader.js';

const sha = `sha256:${'0'.repeat(64)}`;

async function fetched(wat: string) {
  return { bytes: await parse(wat), digest: sha, source: '/x.wasm', warnings: [] };
}

const streamWat = (withPlain: boolean) => `(component
  (core module $m (func (export "f") (param i32) (result i32) unreachable))
  (core instance $i (instantiate $m))
  (type $s (stream u8))
  (func $f (param "s" $s) (result u32) (canon lift (core func $i "f")))
  (export "take" (func $f))
  ${withPlain ? '(func $g (param "a" u32) (result u32) (canon lift (core func $i "f"))) (export "keep" (func $g))' : ''})`;

describe('describeFetched', () => {
  it('loads the functions it can offer and warns about the ones it cannot', async () => {
    const p = describeFetched('c', await fetched(streamWat(true)));
    expect(p.component.tools.map((t) => t.baseName)).toEqual(['keep']);
    expect(p.warnings).toEqual(['not offered as tools (types without a JSON mapping): take (uses stream)']);
  });

  it('refuses a component that would offer no tools, saying why', async () => {
    await expect(async () => describeFetched('c', await fetched(streamWat(false)))).rejects.toThrow(
      /would offer no tools: its exported functions use types without a JSON mapping: take \(uses stream\)/,
    );
  });

  it('refuses imports the host cannot provide, naming them', async () => {
    const wat = `(component
      (import "example:missing/thing" (instance (export "poke" (func))))
      (core module $m (func (export "f") unreachable))
      (core instance $i (instantiate $m))
      (func $f (canon lift (core func $i "f")))
      (export "run" (func $f)))`;
    await expect(async () => describeFetched('c', await fetched(wat))).rejects.toThrow(/imports "example:missing\/thing", which this host cannot provide/);
  });
});

describe('chooseId', () => {
  it.each([
    [[], 'tool'],
    [['tool'], 'tool-2'],
    [['tool', 'tool-2'], 'tool-3'],
  ])('taken %j -> %s', (taken, id) => {
    expect(chooseId('tool', (x) => (taken as string[]).includes(x))).toBe(id);
  });
});
