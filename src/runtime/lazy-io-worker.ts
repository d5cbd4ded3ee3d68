// Defers preview2-shim's I/O worker thread (~10.6 MiB per component instance) until the guest first needs it.
// The shim starts it while its modules are evaluated (`createSyncFn(() => new Worker(...))` in io/worker-io.js);
// most components (pure functions, clocks, captured stdio) never make a call that goes through it.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { WorkerOptions, Worker as WorkerType } from 'node:worker_threads';

const workerThreads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
const Original = workerThreads.Worker;

/** The one script deferred: the shim's I/O worker. Any other Worker is created at once, unchanged. */
export const SHIM_IO_SCRIPT = /\/preview2-shim\/dist\/io\/worker-thread\.bundle\.js$/;

type Listener = (...args: unknown[]) => void;
type Pending = { kind: 'on' | 'once' | 'off'; event: string; fn: Listener };

/**
 * Stands in for the shim's I/O Worker until the first `postMessage` (the first I/O call: synckit posts, then
 * blocks in Atomics.wait until the worker answers), then creates the real worker with the original arguments
 * (including the transferred port) and replays listeners and ref state. Exposes only what synckit uses.
 */
export class LazyWorker {
  #real: WorkerType | undefined;
  readonly #pending: Pending[] = [];
  #unref = false;

  constructor(
    private readonly script: string | URL,
    private readonly options: WorkerOptions | undefined,
  ) {
    // biome-ignore lint/correctness/noConstructorReturn: any other worker must be the real thing, at once
    if (!SHIM_IO_SCRIPT.test(String(script))) return new Original(script, options) as unknown as LazyWorker;
  }

  get started(): boolean {
    return this.#real !== undefined;
  }

  postMessage(value: unknown, transfer?: readonly Transferable[]): void {
    this.#start().postMessage(value, transfer as never);
  }

  on(event: string, fn: Listener): this {
    if (this.#real) this.#real.on(event, fn);
    else this.#pending.push({ kind: 'on', event, fn });
    return this;
  }

  once(event: string, fn: Listener): this {
    if (this.#real) this.#real.once(event, fn);
    else this.#pending.push({ kind: 'once', event, fn });
    return this;
  }

  off(event: string, fn: Listener): this {
    if (this.#real) this.#real.off(event, fn);
    else this.#pending.push({ kind: 'off', event, fn });
    return this;
  }

  ref(): void {
    this.#unref = false;
    this.#real?.ref();
  }

  unref(): void {
    this.#unref = true;
    this.#real?.unref();
  }

  terminate(): Promise<number> {
    return this.#real ? this.#real.terminate() : Promise.resolve(0);
  }

  #start(): WorkerType {
    if (this.#real) return this.#real;
    const real = new Original(this.script, this.options);
    for (const p of this.#pending.splice(0)) real[p.kind](p.event, p.fn);
    if (this.#unref) real.unref();
    this.#real = real;
    return real;
  }
}

/**
 * Runs `load` (which imports the shim) with `Worker` from node:worker_threads swapped for LazyWorker, for
 * ESM importers too (syncBuiltinESMExports updates the live bindings), and puts the original back after.
 * Nothing else runs in a component worker while it boots, so only the shim's construction sees the swap.
 */
export async function withLazyShimIoWorker<T>(load: () => Promise<T>): Promise<T> {
  workerThreads.Worker = LazyWorker as unknown as typeof Original;
  syncBuiltinESMExports();
  try {
    return await load();
  } finally {
    workerThreads.Worker = Original;
    syncBuiltinESMExports();
  }
}
