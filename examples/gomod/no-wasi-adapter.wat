;; A stand-in for the WASI preview1 adapter: the Go runtime imports ten wasi_snapshot_preview1 functions, and the
;; gomod tools need none of what they offer, so they are answered here and the component imports nothing.
;; No arguments or environment; a clock that only moves forward (1000 ns per reading, from a fixed start); bytes from
;; a fixed-seed xorshift generator for the runtime's hash seeds (not secret: map hashing only); writes to stdout or
;; stderr (a panic message) are dropped; polling returns at once; exit traps. No preopened directories (the runtime's
;; preopen scan ends at the first EBADF), and fds 0-2 read as character devices.
;; Why not jco's wasi_snapshot_preview1.reactor.wasm: it calls the module's cabi_realloc for its state during Go's
;; _initialize, before the Go runtime may run an export ("wasmexport function called before runtime initialization",
;; seen as `table index is out of bounds`); with --realloc-via-memory-grow it runs, but grows memory behind Go's sbrk,
;; which tracks the end of memory itself. These tools need no WASI, so none is imported (see README.md).
(module
  (import "env" "memory" (memory 0))
  (global $rng (mut i64) (i64.const 0x2545F4914F6CDD1D))
  (global $clock (mut i64) (i64.const 1700000000000000000))
  (func (export "sched_yield") (result i32) (i32.const 0))
  (func (export "proc_exit") (param i32) (unreachable))
  (func $zero2 (param $a i32) (param $b i32) (result i32)
    (i32.store (local.get $a) (i32.const 0))
    (i32.store (local.get $b) (i32.const 0))
    (i32.const 0))
  (func (export "args_sizes_get") (param i32 i32) (result i32) (call $zero2 (local.get 0) (local.get 1)))
  (func (export "environ_sizes_get") (param i32 i32) (result i32) (call $zero2 (local.get 0) (local.get 1)))
  (func (export "args_get") (param i32 i32) (result i32) (i32.const 0))
  (func (export "environ_get") (param i32 i32) (result i32) (i32.const 0))
  (func (export "clock_time_get") (param i32 i64 i32) (result i32)
    (global.set $clock (i64.add (global.get $clock) (i64.const 1000)))
    (i64.store (local.get 2) (global.get $clock))
    (i32.const 0))
  (func (export "random_get") (param $buf i32) (param $len i32) (result i32)
    (local $x i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $len)))
        (local.set $x (global.get $rng))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
        (global.set $rng (local.get $x))
        (i32.store8 (local.get $buf) (i32.wrap_i64 (local.get $x)))
        (local.set $buf (i32.add (local.get $buf) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $next)))
    (i32.const 0))
  (func (export "fd_write") (param $fd i32) (param $iovs i32) (param $n i32) (param $out i32) (result i32)
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (i32.load offset=4 (local.get $iovs))))
        (local.set $iovs (i32.add (local.get $iovs) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.store (local.get $out) (local.get $sum))
    (i32.const 0))
  (func (export "poll_oneoff") (param i32 i32 i32 i32) (result i32)
    (i32.store (local.get 3) (i32.const 0))
    (i32.const 0))
  (func (export "fd_close") (param i32) (result i32) (i32.const 0))
  (func (export "fd_fdstat_set_flags") (param i32 i32) (result i32) (i32.const 0))
  ;; fdstat: filetype u8 @0 (2 = character device), flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16.
  (func (export "fd_fdstat_get") (param $fd i32) (param $out i32) (result i32)
    (if (i32.gt_u (local.get $fd) (i32.const 2)) (then (return (i32.const 8))))
    (i64.store (local.get $out) (i64.const 2))
    (i64.store offset=8 (local.get $out) (i64.const -1))
    (i64.store offset=16 (local.get $out) (i64.const 0))
    (i32.const 0))
  ;; EBADF (8): there are no preopened directories.
  (func (export "fd_prestat_get") (param i32 i32) (result i32) (i32.const 8))
  (func (export "fd_prestat_dir_name") (param i32 i32 i32) (result i32) (i32.const 8))
)
