// Tiny inline components for the runtime tests, with the WitFunction targets to call them.
import type { WitFunction } from '../../src/component/wit-types.js';
import type { CallTarget } from '../../src/runtime/worker-protocol.js';

const u32 = { kind: 'u32' } as const;

/** math: add, trap, spin, recurse, grow, big (a list<u8> of n bytes), all at world level. */
export const MATH_WAT = `(component
  (core module $m
    (memory (export "memory") 1)
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "boom") (result i32) unreachable)
    (func (export "spin") (result i32) (loop br 0) i32.const 0)
    (func $rec (export "recurse") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $rec)
    (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
    (func (export "big") (param i32) (result i32)
      i32.const 0 i32.const 64 i32.store
      i32.const 4 local.get 0 i32.store
      i32.const 0))
  (core instance $i (instantiate $m))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (func (export "boom") (result u32) (canon lift (core func $i "boom")))
  (func (export "spin") (result u32) (canon lift (core func $i "spin")))
  (func (export "recurse") (param "n" u32) (result u32) (canon lift (core func $i "recurse")))
  (func (export "grow") (param "pages" u32) (result s32) (canon lift (core func $i "grow")))
  (func (export "big") (param "n" u32) (result (list u8)) (canon lift (core func $i "big") (memory (core memory $i "memory"))))
)`;

const fn = (name: string, params: WitFunction['params'], result?: WitFunction['result']): CallTarget => ({
  function: { name, kind: 'freestanding', params, ...(result ? { result } : {}) },
});

export const math = {
  add: fn(
    'add',
    [
      { name: 'a', type: u32 },
      { name: 'b', type: u32 },
    ],
    u32,
  ),
  boom: fn('boom', [], u32),
  spin: fn('spin', [], u32),
  recurse: fn('recurse', [{ name: 'n', type: u32 }], u32),
  grow: fn('grow', [{ name: 'pages', type: u32 }], { kind: 's32' }),
  big: fn('big', [{ name: 'n', type: u32 }], { kind: 'list', element: { kind: 'u8' } }),
};

/** Interface `local:res/api@0.1.0`: resource counter (constructor, get, inc) and div -> result<u32, u32>. */
export const RES_WAT = `(component
  (type $counter (resource (rep i32)))
  (core func $rnew (canon resource.new $counter))
  (core module $m
    (import "" "new" (func $new (param i32) (result i32)))
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 16))
    (func (export "ctor") (param i32) (result i32)
      (local $addr i32)
      global.get $next local.set $addr
      global.get $next i32.const 4 i32.add global.set $next
      local.get $addr local.get 0 i32.store
      local.get $addr call $new)
    (func (export "get") (param i32) (result i32) local.get 0 i32.load)
    (func (export "inc") (param i32) local.get 0 local.get 0 i32.load i32.const 1 i32.add i32.store)
    (func (export "div") (param i32 i32) (result i32)
      local.get 1 i32.eqz
      if (result i32)
        i32.const 0 i32.const 1 i32.store  i32.const 4 i32.const 7 i32.store  i32.const 0
      else
        i32.const 0 i32.const 0 i32.store  i32.const 4 local.get 0 local.get 1 i32.div_u i32.store  i32.const 0
      end))
  (core instance $i (instantiate $m (with "" (instance (export "new" (func $rnew))))))
  (func $ctor (param "init" u32) (result (own $counter)) (canon lift (core func $i "ctor")))
  (func $get (param "self" (borrow $counter)) (result u32) (canon lift (core func $i "get")))
  (func $inc (param "self" (borrow $counter)) (canon lift (core func $i "inc")))
  (func $div (param "a" u32) (param "b" u32) (result (result u32 (error u32))) (canon lift (core func $i "div") (memory (core memory $i "memory"))))
  (component $api
    (import "counter-impl" (type $c (sub resource)))
    (import "ctor" (func $ctor (param "init" u32) (result (own $c))))
    (import "get" (func $get (param "self" (borrow $c)) (result u32)))
    (import "inc" (func $inc (param "self" (borrow $c))))
    (import "div" (func $div (param "a" u32) (param "b" u32) (result (result u32 (error u32)))))
    (export $ce "counter" (type $c))
    (export "[constructor]counter" (func $ctor) (func (param "init" u32) (result (own $ce))))
    (export "[method]counter.get" (func $get) (func (param "self" (borrow $ce)) (result u32)))
    (export "[method]counter.inc" (func $inc) (func (param "self" (borrow $ce))))
    (export "div" (func $div)))
  (instance $inst (instantiate $api
    (with "counter-impl" (type $counter))
    (with "ctor" (func $ctor)) (with "get" (func $get)) (with "inc" (func $inc)) (with "div" (func $div))))
  (export "local:res/api@0.1.0" (instance $inst))
)`;

const IFACE = 'local:res/api@0.1.0';
const self = { name: 'self', type: { kind: 'borrow', resource: 'counter' } } as const;
export const res = {
  ctor: {
    interface: IFACE,
    function: {
      name: 'counter',
      kind: 'constructor',
      resource: 'counter',
      params: [{ name: 'init', type: u32 }],
      result: { kind: 'own', resource: 'counter' },
    },
  } as CallTarget,
  get: { interface: IFACE, function: { name: 'get', kind: 'method', resource: 'counter', params: [self], result: u32 } } as CallTarget,
  inc: { interface: IFACE, function: { name: 'inc', kind: 'method', resource: 'counter', params: [self] } } as CallTarget,
  div: {
    interface: IFACE,
    function: {
      name: 'div',
      kind: 'freestanding',
      params: [
        { name: 'a', type: u32 },
        { name: 'b', type: u32 },
      ],
      result: { kind: 'result', ok: u32, err: u32 },
    },
  } as CallTarget,
};

/** Imports a WASI clock (provided) and, with `withAcme`, an interface no host provides. */
export function clockWat(withAcme: boolean): string {
  return `(component
  (import "wasi:clocks/monotonic-clock@0.2.3" (instance $clock (export "now" (func (result u64)))))
  ${withAcme ? '(import "acme:thing/api@1.0.0" (instance $acme (export "poke" (func (result u32)))))' : ''}
  (core func $now (canon lower (func $clock "now")))
  ${withAcme ? '(core func $poke (canon lower (func $acme "poke")))' : ''}
  (core module $m
    (import "c" "now" (func $now (result i64)))
    ${withAcme ? '(import "c" "poke" (func (result i32)))' : ''}
    (func (export "now") (result i64) call $now))
  (core instance $i (instantiate $m (with "c" (instance (export "now" (func $now)) ${withAcme ? '(export "poke" (func $poke))' : ''}))))
  (func (export "now") (result u64) (canon lift (core func $i "now")))
)`;
}

export const clock = { now: fn('now', [], { kind: 'u64' }) };

/** many(n): list<string> of n one-byte strings; lifting a large n fills the worker's JS heap. */
export const MANY_WAT = `(component
  (core module $m
    (memory (export "memory") 1)
    (func (export "many") (param $n i32) (result i32)
      (local $i i32) (local $need i32)
      ;; elements at 64.., 8 bytes each; data byte at 16
      i32.const 16 i32.const 120 i32.store8
      local.get $n i32.const 8 i32.mul i32.const 64 i32.add i32.const 65535 i32.add i32.const 16 i32.shr_u
      memory.size i32.sub local.tee $need
      i32.const 0 i32.gt_s
      if local.get $need memory.grow drop end
      (block $done (loop $l
        local.get $i local.get $n i32.ge_u br_if $done
        local.get $i i32.const 8 i32.mul i32.const 64 i32.add i32.const 16 i32.store
        local.get $i i32.const 8 i32.mul i32.const 68 i32.add i32.const 1 i32.store
        local.get $i i32.const 1 i32.add local.set $i br $l))
      i32.const 0 i32.const 64 i32.store
      i32.const 4 local.get $n i32.store
      i32.const 0))
  (core instance $i (instantiate $m))
  (func (export "many") (param "n" u32) (result (list string)) (canon lift (core func $i "many") (memory (core memory $i "memory"))))
)`;

export const many = fn('many', [{ name: 'n', type: u32 }], { kind: 'list', element: { kind: 'string' } });
