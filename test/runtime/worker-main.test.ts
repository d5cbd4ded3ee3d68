import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { ComponentRuntime } from '../../src/runtime/component-runtime.js';
import { sha256Hex } from '../../src/runtime/transpile-cache.js';
import type { CallTarget } from '../../src/runtime/worker-protocol.js';
import { denyAllSpec } from '../helpers/deny-all-spec.js';

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

/** deny(n) asks for a TCP socket n times; without a network grant every attempt is refused. */
const DENY_WAT = `(component
  (type $tcp-t (instance (export "tcp-socket" (type (sub resource)))))
  (import "wasi:sockets/tcp@0.2.3" (instance $tcp (type $tcp-t)))
  (alias export $tcp "tcp-socket" (type $sock))
  (import "wasi:sockets/tcp-create-socket@0.2.3" (instance $create
    (alias outer 1 $sock (type $s))
    (type $family (enum "ipv4" "ipv6"))
    (export "ip-address-family" (type $fam (eq $family)))
    (type $code (enum "unknown" "access-denied" "not-supported"))
    (export "error-code" (type $err (eq $code)))
    (export "create-tcp-socket" (func (param "address-family" $fam) (result (result (own $s) (error $err)))))))
  (core module $mem-mod (memory (export "memory") 1))
  (core instance $mem (instantiate $mem-mod))
  (alias core export $mem "memory" (core memory $memory))
  (core func $create (canon lower (func $create "create-tcp-socket") (memory $memory)))
  (core module $impl
    (import "h" "create" (func $create (param i32 i32)))
    (func (export "deny") (param $n i32) (result i32)
      (local $i i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $create (i32.const 0) (i32.const 64))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
      (local.get $n)))
  (core instance $i (instantiate $impl (with "h" (instance (export "create" (func $create))))))
  (func (export "deny") (param "n" u32) (result u32) (canon lift (core func $i "deny")))
)`;

const u32 = { kind: 'u32' } as const;
const deny: CallTarget = { function: { name: 'deny', kind: 'freestanding', params: [{ name: 'n', type: u32 }], result: u32 } };
const flood: CallTarget = { function: { name: 'flood', kind: 'freestanding', params: [{ name: 'n', type: u32 }], result: u32 } };
const spec = denyAllSpec({ timeoutMs: 30_000, memoryBytes: 16 * 65536, maxOutputBytes: 64 * 1024 });
let dir: string;
let rt: ComponentRuntime;
let digest: string;
let denyDigest: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wassette-wm-'));
  rt = new ComponentRuntime({ cacheDir: dir, log: () => undefined, maxStreamBytes: 1024 * 1024 });
  const bytes = await parse(FLOOD_WAT);
  digest = `sha256:${sha256Hex(bytes)}`;
  await rt.prepare(digest, bytes);
  const denyBytes = await parse(DENY_WAT);
  denyDigest = `sha256:${sha256Hex(denyBytes)}`;
  await rt.prepare(denyDigest, denyBytes);
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

  it('reports each distinct refusal once and summarizes a flood of refusals instead of sending every one', async () => {
    let seen = 0;
    const out = await rt.call('deny', denyDigest, spec, deny, [100_000], { onDenial: () => void seen++ });
    expect(out).toMatchObject({ ok: true, value: 100_000 });
    expect(out.denials[0]).toMatchObject({ capability: 'sockets', target: 'tcp' });
    expect(out.denials.length).toBeLessThanOrEqual(40);
    expect(seen).toBe(out.denials.length);
    expect(out.denials.at(-1)?.reason).toMatch(/99999 more refusals/);
  });

  it('starts counting refusals afresh on every call', async () => {
    const first = await rt.call('deny2', denyDigest, spec, deny, [1]);
    const second = await rt.call('deny2', denyDigest, spec, deny, [1]);
    expect(first.denials).toHaveLength(1);
    expect(second.denials).toHaveLength(1);
  });
});
