// Decoder failure modes: every malformed input is an InvalidComponent error with a useful message, never a crash or hang.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../src/component/decode-component.js';
import { ErrorCode, isWassetteError } from '../../src/errors.js';

const PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

function errorOf(bytes: Uint8Array): Error {
  try {
    decodeComponent(bytes);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected decodeComponent to throw');
}

/** Decodes and classifies: 'ok', 'invalid' (InvalidComponent) or the unexpected error itself. */
function outcome(bytes: Uint8Array): 'ok' | 'invalid' | Error {
  try {
    decodeComponent(bytes);
    return 'ok';
  } catch (e) {
    return isWassetteError(e, ErrorCode.InvalidComponent) ? 'invalid' : (e as Error);
  }
}

const SAMPLE = `(component
  (type $env (instance (type $p (tuple string string)) (type $l (list $p)) (export "get" (func (result $l)))))
  (import "wasi:cli/environment@0.2.3" (instance $e (type $env)))
  (core module $m (func (export "f") (param i32) (result i32) unreachable))
  (core instance $i (instantiate $m))
  (type $res (resource (rep i32)))
  (type $rec (record (field "a" u8) (field "b" (list string))))
  (type $v (variant (case "x" $rec) (case "y")))
  (func $ctor (param "n" u32) (result (own $res)) (canon lift (core func $i "f")))
  (func $g (param "v" $v) (result (result u32 (error string))) (canon lift (core func $i "f")))
  (component $shim
    (import "import-type-thing" (type $t (sub resource)))
    (import "c" (func $c (param "n" u32) (result (own $t))))
    (export $thing "thing" (type $t))
    (export "[constructor]thing" (func $c) (func (param "n" u32) (result (own $thing)))))
  (instance $inst (instantiate $shim (with "import-type-thing" (type $res)) (with "c" (func $ctor))))
  (export "my:pkg/things" (instance $inst))
  (export "g" (func $g)))`;

describe('decodeComponent errors', () => {
  it.each([
    ['not wasm at all', new TextEncoder().encode('hello, world'), 'not a WebAssembly binary (bad magic)'],
    ['a core module', new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), 'is a core WebAssembly module, not a component'],
    ['a short header', new Uint8Array([0x00, 0x61, 0x73]), 'truncated at byte 3'],
    ['a section longer than the file', new Uint8Array([...PREAMBLE, 0x07, 0x10, 0x01]), 'truncated at byte 11'],
    ['an unknown section id', new Uint8Array([...PREAMBLE, 0x0d, 0x00]), 'unknown section id 13'],
    ['an unknown type encoding', new Uint8Array([...PREAMBLE, 0x07, 0x02, 0x01, 0x55]), 'unknown type encoding 0x55'],
    ['an out-of-range type index', new Uint8Array([...PREAMBLE, 0x07, 0x03, 0x01, 0x70, 0x05]), 'type index 5 out of bounds'],
    ['an unknown canonical function', new Uint8Array([...PREAMBLE, 0x08, 0x02, 0x01, 0x7e]), 'unknown canonical function 0x7e'],
    ['trailing bytes in a section', new Uint8Array([...PREAMBLE, 0x07, 0x03, 0x01, 0x7f, 0x00]), 'section 7 at byte 10 has 1 unread trailing bytes'],
  ])('rejects %s', (_label, bytes, message) => {
    const e = errorOf(bytes);
    expect(isWassetteError(e, ErrorCode.InvalidComponent)).toBe(true);
    expect(e.message).toContain(message);
  });

  it('rejects the core module fixture with advice to wrap it', () => {
    const bytes = readFileSync(join(__dirname, '../../fixtures/build/core-module.wasm'));
    expect(errorOf(bytes).message).toMatch(/jco new/);
  });

  it('rejects a type that would expand exponentially', () => {
    // t0 = tuple<u8,u8>, t(n+1) = tuple<t(n), t(n)>: 40 tiny definitions, 2^41 nodes when expanded.
    const defs = [[0x6f, 0x02, 0x7d, 0x7d], ...Array.from({ length: 40 }, (_, i) => [0x6f, 0x02, i, i])];
    const body = [defs.length, ...defs.flat()];
    const e = errorOf(new Uint8Array([...PREAMBLE, 0x07, 0x80 | (body.length & 0x7f), body.length >> 7, ...body]));
    expect(e.message).toMatch(/expands to more than/);
  });
});

describe('decodeComponent fuzzing', () => {
  it.each(['sample', 'all-types.wasm', 'resources.wasm', 'docs.wasm'])('%s truncated at every offset decodes or throws InvalidComponent', async (name) => {
    const bytes = name === 'sample' ? await parse(SAMPLE) : readFileSync(join(__dirname, '../../fixtures/build', name));
    expect(outcome(bytes)).toBe('ok');
    const results = new Map<string, number>();
    for (let n = 0; n < bytes.length; n++) {
      const r = outcome(bytes.subarray(0, n));
      if (r instanceof Error) throw r;
      results.set(r, (results.get(r) ?? 0) + 1);
    }
    expect(results.get('invalid')).toBeGreaterThan(bytes.length / 2);
  });

  it.each(['sample', 'all-types.wasm'])('random byte flips in %s decode or throw InvalidComponent, quickly', async (name) => {
    const base = name === 'sample' ? await parse(SAMPLE) : readFileSync(join(__dirname, '../../fixtures/build', name));
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const started = Date.now();
    for (let i = 0; i < 3000; i++) {
      const bytes = Uint8Array.from(base);
      for (let k = 1 + rand(3); k > 0; k--) bytes[8 + rand(bytes.length - 8)] = rand(256);
      const t = performance.now();
      const r = outcome(bytes);
      if (r instanceof Error) throw new Error(`iteration ${i}: ${r.name}: ${r.message}`);
      expect(performance.now() - t).toBeLessThan(500);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
