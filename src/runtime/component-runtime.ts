// The runtime facade: prepares (transpiles) components by digest and runs calls on one worker per
// component instance. Calls to one instance are serialized; different components run in parallel.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import type { SandboxSpec } from '../sandbox/spec.js';
import type { CallHooks, CallOutcome } from './call-outcome.js';
import { checkImports } from './host-imports.js';
import { ComponentInstance, type SpecSource } from './instance.js';
import { capMemory, definedLimits } from './memory-cap.js';
import { coreInstanceCounts, splitMemoryBudget } from './memory-split.js';
import { TranspileCache, digestHex, type TranspiledComponent } from './transpile-cache.js';
import { enableWasmFeatures } from './wasm-features.js';
import { WorkerPool } from './worker-pool.js';
import type { CallTarget } from './worker-protocol.js';

export interface ComponentRuntimeOptions {
  /** Transpile cache directory, normally `<WASSETTE_HOME>/transpiled`. */
  cacheDir: string;
  /** Diagnostics sink (stderr in stdio mode; never stdout). */
  log: (msg: string) => void;
  /** V8 heap cap per worker in MiB (JS objects only). Default 256. */
  heapMb?: number;
  /** stdout/stderr bytes kept per call and stream. Default 1 MiB. */
  maxStreamBytes?: number;
  /** Stop an instance's worker after this long without a call; 0 or absent: never (see InstanceOptions). */
  idleStopMs?: number;
  /** A transpile running longer fails with `timeout` (default DEFAULT_TRANSPILE_TIMEOUT_MS). */
  transpileTimeoutMs?: number;
}

export class ComponentRuntime {
  private readonly cache: TranspileCache;
  private readonly prepared = new Map<string, TranspiledComponent>();
  /** Compiled, memory-capped core modules by `<digest>:<memoryBytes>`; shared by all workers. */
  private readonly compiled = new Map<string, Promise<Record<string, WebAssembly.Module>>>();
  /** `digest` is the hex form; `given` the spelling the caller used (`sha256:<hex>` or bare hex). */
  private readonly instances = new Map<string, { digest: string; given: string; instance: ComponentInstance }>();
  /** Shared by all instances: one spare worker, booted after the first start, so restarts skip the boot. */
  private readonly workers: WorkerPool;

  constructor(private readonly opts: ComponentRuntimeOptions) {
    enableWasmFeatures();
    this.cache = new TranspileCache(opts.cacheDir, opts.transpileTimeoutMs !== undefined ? { transpileTimeoutMs: opts.transpileTimeoutMs } : {});
    this.workers = new WorkerPool({ log: opts.log, ...(opts.heapMb !== undefined ? { heapMb: opts.heapMb } : {}) });
  }

  /**
   * Transpiles the component once per digest (reusing the on-disk cache across restarts).
   * Throws `digest-mismatch` when the bytes do not hash to `digest`, `invalid-component` when
   * they cannot be transpiled. Returns the import names the generated code needs. `file` (optional) holds the
   * same bytes, for the transpile process to read itself (see TranspileCache.ensure).
   */
  async prepare(digest: string, bytes: Uint8Array, file?: string): Promise<TranspiledComponent> {
    const t = await this.cache.ensure(digest, bytes, file);
    this.prepared.set(t.digest, t);
    return t;
  }

  /**
   * Runs one exported function. Never throws: every failure is an `{ok: false, code}` outcome.
   * Pass `spec` as a function to have the sandbox built when the call starts rather than when it is queued.
   */
  call(componentId: string, digest: string, spec: SpecSource, target: CallTarget, args: unknown[], hooks?: CallHooks): Promise<CallOutcome> {
    let instance: ComponentInstance;
    try {
      // A hot call names the digest it was loaded with: no parsing (the regex was ~1 µs of every call).
      const known = this.instances.get(componentId);
      instance = known?.given === digest ? known.instance : this.instanceFor(componentId, digestHex(digest), digest);
    } catch (e) {
      const code = e instanceof WassetteError ? e.code : ErrorCode.Internal;
      return Promise.resolve({ ok: false, code, message: errorMessage(e), denials: [], output: { stdout: '', stderr: '' }, durationMs: 0 });
    }
    return instance.call(spec, target, args, hooks);
  }

  /** Instantiates a component in the background so its first call is fast; never throws. */
  async warm(componentId: string, digest: string, spec: SandboxSpec): Promise<void> {
    try {
      await this.instanceFor(componentId, digestHex(digest), digest).warm(spec);
    } catch (e) {
      this.opts.log(`warming ${componentId} failed: ${errorMessage(e)}`);
    }
  }

  /** New grants or limits: the instance restarts with a fresh WASI host before its next call. */
  setSpec(componentId: string, spec: SandboxSpec): void {
    this.instances.get(componentId)?.instance.setSpec(spec);
  }

  /** How many times the component's worker was stopped for being idle. */
  idleStops(componentId: string): number {
    return this.instances.get(componentId)?.instance.idleStops ?? 0;
  }

  /** Whether the component currently has a running worker. */
  isRunning(componentId: string): boolean {
    return this.instances.get(componentId)?.instance.running ?? false;
  }

  async unload(componentId: string): Promise<void> {
    const entry = this.instances.get(componentId);
    if (!entry) return;
    this.instances.delete(componentId);
    await entry.instance.terminate();
    if (![...this.instances.values()].some((e) => e.digest === entry.digest)) {
      for (const key of [...this.compiled.keys()]) if (key.startsWith(`${entry.digest}:`)) this.compiled.delete(key);
    }
  }

  /** Stops every instance and the spare worker; afterwards no worker keeps the process alive. */
  async close(): Promise<void> {
    await Promise.all([...this.instances.keys()].map((id) => this.unload(id)));
    await this.workers.close();
    this.cache.close();
  }

  private instanceFor(componentId: string, hex: string, given: string = hex): ComponentInstance {
    const existing = this.instances.get(componentId);
    if (existing && existing.digest === hex) {
      existing.given = given;
      return existing.instance;
    }
    // Same id, new bytes (a reload): the old instance goes away.
    if (existing) void existing.instance.terminate();
    const instance = new ComponentInstance({
      load: (spec) => this.loadFor(hex, spec),
      log: this.opts.log,
      spawn: (init) => this.workers.take(init),
      ...(this.opts.heapMb !== undefined ? { heapMb: this.opts.heapMb } : {}),
      ...(this.opts.maxStreamBytes !== undefined ? { maxStreamBytes: this.opts.maxStreamBytes } : {}),
      ...(this.opts.idleStopMs !== undefined ? { idleStopMs: this.opts.idleStopMs } : {}),
    });
    this.instances.set(componentId, { digest: hex, given, instance });
    return instance;
  }

  private async loadFor(hex: string, spec: SandboxSpec): Promise<{ entryUrl: string; modules: Record<string, WebAssembly.Module>; imports: string[] }> {
    const t = this.prepared.get(hex) ?? (await this.cache.lookup(hex));
    if (!t) throw new WassetteError(ErrorCode.NotFound, `component sha256:${hex} was never prepared; load it before calling it`);
    this.prepared.set(hex, t);
    checkImports(t.imports);
    return { entryUrl: pathToFileURL(t.entry).href, modules: await this.modulesFor(t, spec.memoryBytes), imports: t.imports };
  }

  /** Compiles once on the main thread; workers receive the Module objects without recompiling. */
  private modulesFor(t: TranspiledComponent, memoryBytes: number): Promise<Record<string, WebAssembly.Module>> {
    const key = `${t.digest}:${memoryBytes}`;
    let p = this.compiled.get(key);
    if (!p) {
      p = compileCapped(t, memoryBytes);
      this.compiled.set(key, p);
      p.catch(() => this.compiled.delete(key));
    }
    return p;
  }
}

/** Caps every core module so that the memories and tables of all its core instances together fit `memoryBytes`. */
async function compileCapped(t: TranspiledComponent, memoryBytes: number): Promise<Record<string, WebAssembly.Module>> {
  const counts = coreInstanceCounts(await readFile(t.entry, 'utf8'), t.coreModules);
  const raw = await Promise.all(t.coreModules.map((name) => readFile(join(t.dir, name))));
  const shares = splitMemoryBudget(
    raw.map((bytes, i) => ({ ...definedLimits(bytes), instances: counts.get(t.coreModules[i]!)! })),
    memoryBytes,
  );
  const entries = await Promise.all(
    t.coreModules.map(async (name, i) => [name, await WebAssembly.compile(capMemory(raw[i]!, memoryBytes, shares[i]))] as const),
  );
  return Object.fromEntries(entries);
}
