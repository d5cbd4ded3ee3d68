import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { ComponentRuntime } from '../../src/runtime/component-runtime.js';
import { sha256Hex } from '../../src/runtime/transpile-cache.js';
import type { CallTarget } from '../../src/runtime/worker-protocol.js';
import { denyAllSpec } from '../../src/sandbox/spec.js';

/** flood(n) writes n single bytes "x" to stderr, one blocking-write-and-flush each. */
const FLOOD_WAT = `(component
  (type $streams-t (instance
    (export "output-stream" (type $os (sub resource)))
    (export "[method]output-stream.blocking-write-and-flush" (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result))))))
  (import "wasi:io/streams@0.2.3" (instance $streams (type $streams-t)))
  (alias export $streams "output-stream" (type $os))
  (import "wasi:cli/stderr@0.2.3" (instance $stderr
    (alias outer 1 $os (type $os2))
    (export "get-stderr" (func (result (own $os2))))))
  (core module $mem-mod (memory (export "memory") 1))
  (core instance $mem (instantiate $mem-mod))
  (alias core export $mem "memory" (core memory $memory))
  (core func $write (canon lower (func $streams "[method]output-stream.blocking-write-and-flush") (memory $memory)))
  (core func $get (canon lower (func $stderr "get-stderr")))
  (core module $impl
    (import "m" "memory" (memory 1))
    (import "h" "write" (func $write (param i32 i32 i32) (result i32)))
    (import "h" "get" (func $get (result i32)))
    (global $h (mut i32) (i32.const -1))
    (data (i32.const 16) "x")
    (func (export "flood") (param $n i32) (result i32)
      (local $i i32)
      (if (i32.eq (global.get $h) (i32.const -1)) (then (global.set $h (call $get))))
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (drop (call $write (global.get $h) (i32.const 16) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
      (local.get $n))
    (func (export "ping") (result i32) i32.const 42))
  (core instance $i (instantiate $impl
    (with "m" (instance (export "memory" (memory $memory))))
    (with "h" (instance (export "write" (func $write)) (export "get" (func $get))))))
  (func (export "flood") (param "n" u32) (result u32) (canon lift (core func $i "flood")))
  (func (export "ping") (result u32) (canon lift (core func $i "ping")))
)`;

const u32 = { kind: 'u32' } as const;
const flood: CallTarget = { function: { name: 'flood', kind: 'freestanding', params: [{ name: 'n', type: u32 }], result: u32 } };
const spec = denyAllSpec({ timeoutMs: 30_000, memoryBytes: 16 * 65536, maxOutputBytes: 64 * 1024 });
let dir: string;
let rt: ComponentRuntime;
let digest: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wassette-wm-'));
  rt = new ComponentRuntime({ cacheDir: dir, log: () => undefined, maxStreamBytes: 1024 * 1024 });
  const bytes = await parse(FLOOD_WAT);
  digest = `sha256:${sha256Hex(bytes)}`;
  await rt.prepare(digest, bytes);
});

afterAll(async () => {
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('worker output', () => {
  it('keeps every byte of a small write', async () => {
    const out = await rt.call('small', digest, spec, flood, [3]);
    expect(out).toMatchObject({ ok: true, value: 3, output: { stderr: 'xxx' } });
  });

  it('sends a flood of one-byte writes to the main thread in a few batches, not one message per write', async () => {
    let messages = 0;
    const out = await rt.call('flood', digest, spec, flood, [200_000], { onOutput: () => void messages++ });
    expect(out).toMatchObject({ ok: true, value: 200_000 });
    expect(out.output.stderr).toBe('x'.repeat(200_000));
    // One message per write used to mean 200 000 messages; batches are 64 KiB or 50 ms each.
    expect(messages).toBeLessThan(500);
  });
});
