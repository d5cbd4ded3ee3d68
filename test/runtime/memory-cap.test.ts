import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentRuntime } from '../../src/runtime/component-runtime.js';
import { sha256Hex } from '../../src/runtime/transpile-cache.js';
import { coreInstanceCounts } from '../../src/runtime/memory-split.js';
import { denyAllSpec } from '../../src/sandbox/spec.js';
import type { CallTarget } from '../../src/runtime/worker-protocol.js';
import { parse, print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { TABLE_ENTRY_BYTES, capMemory, encodeUleb, pagesForBytes } from '../../src/runtime/memory-cap.js';
import { isWassetteError } from '../../src/errors.js';

const PAGE = 65536;

async function capped(wat: string, bytes: number): Promise<string> {
  const out = capMemory(await parse(wat), bytes);
  // Node 20's V8 has no memory64 without a flag; wasm-tools' printer still checks the encoding.
  if (!wat.includes('i64')) expect(WebAssembly.validate(out)).toBe(true);
  return (await print(out)).replace(/\s+/g, ' ');
}

describe('capMemory', () => {
  const cases: Array<[string, string, number, string]> = [
    ['adds a max to an unbounded memory', '(module (memory 1))', 4 * PAGE, '(memory (;0;) 1 4)'],
    ['lowers a larger max', '(module (memory 1 100))', 4 * PAGE, '(memory (;0;) 1 4)'],
    ['keeps a smaller max', '(module (memory 1 2))', 4 * PAGE, '(memory (;0;) 1 2)'],
    ['caps an imported memory', '(module (import "env" "mem" (memory 1)))', 3 * PAGE, '(import "env" "mem" (memory (;0;) 1 3))'],
    ['caps a memory64 memory', '(module (memory i64 1))', 2 * PAGE, '(memory (;0;) i64 1 2)'],
    ['rounds a partial page down', '(module (memory 0))', 2 * PAGE + 5, '(memory (;0;) 0 2)'],
  ];
  it.each(cases)('%s', async (_name, wat, bytes, expected) => {
    expect(await capped(wat, bytes)).toContain(expected);
  });

  it('keeps non-memory imports and sections intact', async () => {
    const wat = `(module
      (import "env" "f" (func (param i32) (result i32)))
      (import "env" "t" (table 1 funcref))
      (import "env" "g" (global (mut i32)))
      (import "env" "m" (memory 2))
      (func (export "run") (result i32) i32.const 7))`;
    const text = await capped(wat, 8 * PAGE);
    expect(text).toContain('(import "env" "m" (memory (;0;) 2 8))');
    expect(text).toContain(`(import "env" "t" (table (;0;) 1 ${(8 * PAGE) / 16} funcref))`);
    expect(text).toContain('(export "run"');
  });

  it('makes memory.grow fail inside the guest beyond the cap', async () => {
    const wat = '(module (memory 1) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))';
    const mod = await WebAssembly.compile(capMemory(await parse(wat), 4 * PAGE));
    const inst = await WebAssembly.instantiate(mod);
    const grow = inst.exports.grow as (n: number) => number;
    expect(grow(2)).toBe(1);
    expect(grow(5)).toBe(-1);
    expect(grow(1)).toBe(3);
  });

  it('refuses a module whose minimum exceeds the cap', async () => {
    const bytes = await parse('(module (memory 10))');
    expect(() => capMemory(bytes, 2 * PAGE)).toThrow(/memory limit/);
    try {
      capMemory(bytes, 2 * PAGE);
    } catch (e) {
      expect(isWassetteError(e, 'memory-limit')).toBe(true);
    }
  });

  it('caps defined tables at the entries the budget pays for', async () => {
    expect(await capped('(module (table 1 funcref))', 4 * PAGE)).toContain(`(table (;0;) 1 ${(4 * PAGE) / 16} funcref)`);
    expect(await capped('(module (table 1 10 externref))', 4 * PAGE)).toContain('(table (;0;) 1 10 externref)');
  });

  it('makes table.grow fail inside the guest beyond the cap', async () => {
    const wat = '(module (table 1 funcref) (func (export "grow") (param i32) (result i32) ref.null func local.get 0 table.grow 0))';
    const inst = await WebAssembly.instantiate(await WebAssembly.compile(capMemory(await parse(wat), PAGE)));
    const grow = inst.exports.grow as (n: number) => number;
    expect(grow(9_000_000)).toBe(-1);
    expect(grow(100)).toBe(1);
  });

  it('refuses a table whose minimum exceeds the cap', async () => {
    expect(() => capMemory(new Uint8Array(0), 1)).toThrow();
    const bytes = await parse('(module (table 100000 funcref))');
    expect(() => capMemory(bytes, PAGE)).toThrow(/memory limit/);
  });

  it('rejects bytes that are not a core module', () => {
    expect(() => capMemory(new Uint8Array([1, 2, 3]), PAGE)).toThrow(/not a wasm binary/);
    expect(() => capMemory(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]), PAGE)).toThrow(/not a core module/);
  });
});

describe('helpers', () => {
  it.each([
    [0, [0]],
    [127, [127]],
    [128, [0x80, 1]],
    [65536, [0x80, 0x80, 4]],
  ])('encodeUleb(%i)', (n, bytes) => expect(encodeUleb(n)).toEqual(bytes));
  it.each([
    [1, 1],
    [PAGE, 1],
    [10 * PAGE + 1, 10],
    [512 * 1024 * 1024, 8192],
  ])('pagesForBytes(%i) = %i', (b, p) => expect(pagesForBytes(b)).toBe(p));
});

describe('memory limit across core instances (fixtures/wat/multi-memory.wat)', () => {
  // Four core instances of one module, each with its own memory (1 page) and table (1 entry), driven
  // through the real runtime: growing all of them in one call must stay within one limit in total.
  const LIMIT = 64 * PAGE;
  const spec = denyAllSpec({ timeoutMs: 10_000, memoryBytes: LIMIT, maxOutputBytes: 64 * 1024 });
  const fn = (name: string): CallTarget => ({
    function: { name, kind: 'freestanding', params: [{ name: 'n', type: { kind: 'u32' } }], result: { kind: 'u32' } },
  });
  let dir: string;
  let rt: ComponentRuntime;
  let digest: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wassette-split-'));
    rt = new ComponentRuntime({ cacheDir: dir, log: () => {} });
    const bytes = await parse(readFileSync(join(__dirname, '../../fixtures/wat/multi-memory.wat'), 'utf8'));
    digest = `sha256:${sha256Hex(bytes)}`;
    await rt.prepare(digest, bytes);
  });
  afterAll(async () => {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the four instances in the generated code', async () => {
    const t = await rt.prepare(digest, await parse(readFileSync(join(__dirname, '../../fixtures/wat/multi-memory.wat'), 'utf8')));
    const counts = coreInstanceCounts(readFileSync(t.entry, 'utf8'), t.coreModules);
    expect(Math.max(...counts.values())).toBe(4);
  });

  it('growing every memory and table in one call cannot exceed the limit in sum', async () => {
    const out = await rt.call('split', digest, spec, fn('mem'), [1]);
    expect(out.ok).toBe(true);
    const gained = (out as { ok: true; value: number }).value;
    // 4 initial pages + gained pages, plus the tables' maxima, within the limit; and growth was real.
    expect((4 + gained) * PAGE).toBeLessThanOrEqual(LIMIT);
    expect(gained).toBeGreaterThanOrEqual(40);
    const tab = await rt.call('split', digest, spec, fn('tab'), [64]);
    const entries = (tab as { ok: true; value: number }).value;
    expect((4 + gained) * PAGE + (4 + entries) * TABLE_ENTRY_BYTES).toBeLessThanOrEqual(LIMIT);
    // A second round gets nothing more: every share is used up.
    expect(((await rt.call('split', digest, spec, fn('mem'), [1])) as { value: number }).value).toBe(0);
  });

  it('refuses at load a component whose initial sizes already sum above the limit', async () => {
    const small = denyAllSpec({ timeoutMs: 10_000, memoryBytes: 3 * PAGE, maxOutputBytes: 64 * 1024 });
    const out = await rt.call('split-small', digest, small, fn('mem'), [1]);
    expect(out.ok).toBe(false);
    expect(JSON.stringify(out)).toContain('memory-limit');
    expect(JSON.stringify(out)).toContain(String(3 * PAGE));
  });
});
