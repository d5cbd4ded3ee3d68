// One component instance = one worker thread. Calls are serialized; a call that overruns its time
// limit terminates the worker; traps, crashes and spec changes restart it lazily before the next call.
import type { Worker } from 'node:worker_threads';
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import type { Denial, SandboxSpec } from '../sandbox/spec.js';
import type { CallHooks, CallOutcome } from './call-outcome.js';
import { spawnWorker } from './worker-pool.js';
import type { CallTarget, FromWorker, ToWorker, WireError, WorkerInit } from './worker-protocol.js';
import { createFdSlots } from '../sandbox/fd-slots.js';

/** What a worker needs besides its spec: produced by the runtime (transpile cache + compiled modules). */
export type InstanceLoader = (spec: SandboxSpec) => Promise<Omit<WorkerInit, 'spec' | 'maxStreamBytes'>>;

/**
 * The sandbox of a call, or how to build it. A function is evaluated when the call leaves the queue, so a
 * grant revoked while the call waits behind another one is already gone when it runs.
 */
export type SpecSource = SandboxSpec | (() => SandboxSpec);

export interface InstanceOptions {
  load: InstanceLoader;
  log: (msg: string) => void;
  /** V8 heap cap of the worker (JS objects; wasm memory is capped separately). Default 256. */
  heapMb?: number;
  /** stdout/stderr bytes kept per call and stream. Default 1 MiB. */
  maxStreamBytes?: number;
  /** Floor for the instantiation time limit, since cold starts can exceed short call limits. */
  minStartTimeoutMs?: number;
  /**
   * Where workers come from (a `WorkerPool`'s `take`, which hands over a pre-booted spare). It must
   * return a worker already instantiating `init` and configured like `spawnWorker` does (heap cap,
   * `env: {}`, stdout/stderr to the log). Default: a fresh `spawnWorker` per start.
   */
  spawn?: (init: WorkerInit) => Worker;
  /**
   * Stop the worker after this long without a call (0 or absent: never); the next call starts it again from
   * the cached, compiled component. An instance holding resource handles is kept: its handles would die.
   */
  idleStopMs?: number;
}

type Failure = { ok: false; error: WireError };
type Reply = { ok: true; value: unknown } | Failure;

interface Live {
  worker: Worker;
  specKey: string;
  ready: Promise<void>;
  /** Set while a call is in flight; every way the worker can end settles it. */
  settle?: (r: Reply) => void;
  onEvent?: (msg: FromWorker) => void;
  dead: boolean;
  /** Target numbers whose description this worker already holds. */
  sentTargets: Set<number>;
  /** Instantiated and answering calls. */
  isReady: boolean;
  /** Resource handles the guest holds, as of the last result. */
  handles: number;
}

/** Calls allowed to wait for one busy instance before further calls are turned away. */
export const MAX_QUEUED = 32;

const fail = (code: string, message: string, data?: Record<string, unknown>): Failure => ({ ok: false, error: { code, message, ...(data ? { data } : {}) } });

export class ComponentInstance {
  private live: Live | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** True from the moment a call leaves the queue until its outcome is known (incl. worker start). */
  private busy = false;
  /** Calls queued but not yet started. */
  private waiting = 0;
  /** A number per distinct target (function description + interface), stable for this instance's life. */
  private readonly targetIds = new WeakMap<CallTarget['function'], Map<string, number>>();
  private nextTargetId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastActive = 0;
  /** Workers stopped for being idle (for tests and benchmarks). */
  idleStops = 0;

  constructor(private readonly opts: InstanceOptions) {}

  /**
   * New grants or limits: an idle worker stops now; a busy one finishes its call and is replaced
   * before the next call (which compares the spec it is given with the running one).
   */
  setSpec(spec: SandboxSpec): void {
    const live = this.live;
    if (live && live.specKey !== specKey(spec) && !this.busy) this.kill('spec changed', live);
  }

  /** Whether a worker is currently running (for tests and `list_components`). */
  get running(): boolean {
    return this.live !== undefined && !this.live.dead;
  }

  /**
   * Queues a call behind the ones already waiting for this instance. Time spent waiting counts
   * against the call's own limit, and at most MAX_QUEUED calls wait, so a stuck component turns
   * further calls away quickly instead of piling them up for minutes.
   */
  call(spec: SpecSource, target: CallTarget, args: unknown[], hooks: CallHooks = {}): Promise<CallOutcome> {
    if (this.waiting >= MAX_QUEUED) {
      return Promise.resolve(refused(ErrorCode.Busy, `the component already has ${MAX_QUEUED} calls waiting; try again when they finish`));
    }
    const queuedAt = performance.now();
    this.waiting++;
    const run = this.queue.then(() => {
      this.waiting--;
      return this.run(spec, target, args, hooks, queuedAt).finally(() => this.armIdle());
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts the worker and instantiates the component ahead of the first call (queued like a call,
   * so it never races one). Failures are left for the first real call to report.
   */
  warm(spec: SandboxSpec): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.closed) return;
      await this.ensure(spec, () => undefined).catch(() => undefined);
      this.armIdle();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async terminate(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const live = this.live;
    this.live = undefined;
    if (live) {
      live.dead = true;
      live.settle?.(fail(ErrorCode.UnknownComponent, 'the component was unloaded while the call was running'));
      await live.worker.terminate();
    }
  }

  private async run(source: SpecSource, target: CallTarget, args: unknown[], hooks: CallHooks, queuedAt: number): Promise<CallOutcome> {
    const started = performance.now();
    let spec: SandboxSpec;
    try {
      spec = typeof source === 'function' ? source() : source;
    } catch (e) {
      const code = e instanceof WassetteError ? e.code : ErrorCode.Internal;
      return refused(code, `cannot build the sandbox for this call: ${errorMessage(e)}`);
    }
    if (hooks.signal?.aborted) return refused(ErrorCode.Cancelled, 'the call was cancelled before it started');
    const waited = started - queuedAt;
    const budgetMs = Math.floor(spec.timeoutMs - waited);
    if (budgetMs <= 0) {
      return refused(
        ErrorCode.Timeout,
        `the call waited ${Math.round(waited)} ms behind earlier calls to this component and ran out of its ${spec.timeoutMs} ms limit before starting`,
        { limitMs: spec.timeoutMs, waitedMs: Math.round(waited) },
      );
    }
    const denials: Denial[] = [];
    // Most calls print nothing: buffers and decoders are made on the first output.
    let chunks: { stdout: Uint8Array[]; stderr: Uint8Array[] } | undefined;
    let decoders: { stdout: TextDecoder; stderr: TextDecoder } | undefined;
    const onEvent = (msg: FromWorker): void => {
      if (msg.type === 'denial') {
        denials.push(msg.denial);
        hooks.onDenial?.(msg.denial);
      } else if (msg.type === 'output') {
        chunks ??= { stdout: [], stderr: [] };
        chunks[msg.stream].push(msg.chunk);
        if (hooks.onOutput) {
          decoders ??= { stdout: new TextDecoder(), stderr: new TextDecoder() };
          hooks.onOutput(msg.stream, decoders[msg.stream].decode(msg.chunk, { stream: true }));
        }
      }
    };
    this.busy = true;
    let reply: Reply;
    try {
      reply = await this.exchange(spec, budgetMs, target, args, onEvent, hooks.signal);
    } finally {
      this.busy = false;
    }
    const output = chunks
      ? { stdout: Buffer.concat(chunks.stdout).toString('utf8'), stderr: Buffer.concat(chunks.stderr).toString('utf8') }
      : { stdout: '', stderr: '' };
    const durationMs = performance.now() - started;
    if (reply.ok) return { ok: true, value: reply.value, denials, output, durationMs };
    const { code, message, data } = reply.error;
    return { ok: false, code, message, ...(data ? { data } : {}), denials, output, durationMs };
  }

  private async exchange(
    spec: SandboxSpec,
    budgetMs: number,
    target: CallTarget,
    args: unknown[],
    onEvent: (m: FromWorker) => void,
    signal?: AbortSignal,
  ): Promise<Reply> {
    if (this.closed) return fail(ErrorCode.UnknownComponent, 'the component was unloaded');
    let live: Live;
    try {
      // A hot call finds its worker running with this spec: no await (each one is a turn of the microtask queue).
      const current = this.live;
      live = current && !current.dead && current.isReady && current.specKey === specKey(spec) ? current : await this.ensure(spec, onEvent);
    } catch (e) {
      if (isFailure(e)) return e;
      if (e instanceof WassetteError) return fail(e.code, e.message, e.data);
      return fail(ErrorCode.Internal, `cannot start the component worker: ${errorMessage(e)}`);
    }
    live.onEvent = onEvent;
    const reply = await new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        this.kill('call timed out', live);
        const waited = spec.timeoutMs - budgetMs;
        const queued = waited > 0 ? ` (${waited} ms of it waiting behind earlier calls)` : '';
        live.settle?.(
          fail(ErrorCode.Timeout, `the call exceeded its ${spec.timeoutMs} ms limit${queued} and was stopped; the component restarts on the next call`, {
            limitMs: spec.timeoutMs,
          }),
        );
      }, budgetMs);
      // A cancelled call cannot be interrupted inside the guest: its worker is stopped, as for a timeout.
      const cancel = (): void => {
        this.kill('call cancelled', live);
        live.settle?.(fail(ErrorCode.Cancelled, 'the client cancelled the call and it was stopped; the component restarts on the next call'));
      };
      signal?.addEventListener('abort', cancel, { once: true });
      live.settle = (r) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', cancel);
        live.settle = undefined;
        resolve(r);
      };
      if (signal?.aborted) cancel();
      const fn = this.targetId(target);
      const known = live.sentTargets.has(fn);
      const msg: ToWorker = known
        ? { type: 'call', id: 1, fn, args, maxOutputBytes: spec.maxOutputBytes }
        : { type: 'call', id: 1, fn, target, args, maxOutputBytes: spec.maxOutputBytes };
      try {
        live.worker.postMessage(msg);
        // Only once it was sent: a message that cannot be cloned is not sent at all.
        live.sentTargets.add(fn);
      } catch (e) {
        live.settle(fail(ErrorCode.InvalidArgument, `arguments cannot be sent to the component: ${String(e)}`));
      }
    });
    live.settle = undefined;
    live.onEvent = undefined;
    return reply;
  }

  /**
   * Restarts the idle clock; called whenever the queue may have drained. A hot instance only stamps the time
   * (no timer churn per call): a timer that fires early sets itself again for what is left.
   */
  private armIdle(): void {
    const ms = this.opts.idleStopMs ?? 0;
    if (ms <= 0 || this.closed) return;
    this.lastActive = performance.now();
    if (!this.idleTimer) this.setIdleTimer(ms, ms);
  }

  private setIdleTimer(ms: number, delay: number): void {
    this.idleTimer = setTimeout(() => this.stopIfIdle(ms), delay);
    // An idle clock never keeps the process alive.
    this.idleTimer.unref();
  }

  private stopIfIdle(ms: number): void {
    this.idleTimer = undefined;
    const left = this.lastActive + ms - performance.now();
    if (left > 1 && !this.closed) {
      this.setIdleTimer(ms, left);
      return;
    }
    const live = this.live;
    // A call running or waiting re-arms the clock when it ends; a starting worker is left to finish.
    if (!live || live.dead || !live.isReady || this.busy || this.waiting > 0 || this.closed) return;
    if (live.handles > 0) {
      this.opts.log(`component worker idle for ${ms} ms but kept running: it holds ${live.handles} resource handle(s)`);
      return;
    }
    this.idleStops++;
    this.opts.log(`stopping component worker: idle for ${ms} ms (it restarts on the next call)`);
    this.live = undefined;
    live.dead = true;
    void live.worker.terminate();
  }

  /** Descriptions are compared by identity: the catalog hands out the same WitFunction object for a tool every call. */
  private targetId(target: CallTarget): number {
    let byInterface = this.targetIds.get(target.function);
    if (!byInterface) {
      byInterface = new Map();
      this.targetIds.set(target.function, byInterface);
    }
    const iface = target.interface ?? '';
    let id = byInterface.get(iface);
    if (id === undefined) {
      id = this.nextTargetId++;
      byInterface.set(iface, id);
    }
    return id;
  }

  private async ensure(spec: SandboxSpec, onEvent: (m: FromWorker) => void): Promise<Live> {
    const key = specKey(spec);
    if (this.live && !this.live.dead && this.live.specKey !== key) this.kill('spec changed');
    if (!this.live || this.live.dead) {
      const started = await this.start(spec, key, onEvent);
      if (this.closed) {
        // terminate() ran between the spawn and here: it could not see this worker.
        started.dead = true;
        void started.worker.terminate();
        throw fail(ErrorCode.UnknownComponent, 'the component was unloaded');
      }
      this.live = started;
    }
    const live = this.live;
    await live.ready;
    return live;
  }

  private async start(spec: SandboxSpec, key: string, onEvent: (m: FromWorker) => void): Promise<Live> {
    const fdSlots = createFdSlots();
    const init: WorkerInit = { ...(await this.opts.load(spec)), spec, maxStreamBytes: this.opts.maxStreamBytes ?? 1024 * 1024, fdSlots };
    // Terminated while the modules were loading (a close right after a load, during its warm-up): no worker, or
    // one would start after terminate() and keep the process alive.
    if (this.closed) throw fail(ErrorCode.UnknownComponent, 'the component was unloaded');
    const worker = this.opts.spawn
      ? this.opts.spawn(init)
      : spawnWorker({ log: this.opts.log, ...(this.opts.heapMb !== undefined ? { heapMb: this.opts.heapMb } : {}) }, init);
    const live: Live = { worker, specKey: key, ready: Promise.resolve(), dead: false, onEvent, sentTargets: new Set(), isReady: false, handles: 0 };
    live.ready = new Promise<void>((resolve, reject) => {
      const startLimit = Math.max(spec.timeoutMs, this.opts.minStartTimeoutMs ?? 10_000);
      const timer = setTimeout(() => {
        reject(fail(ErrorCode.Timeout, `the component did not finish instantiating within ${startLimit} ms`));
        this.kill('instantiation timed out', live);
      }, startLimit);
      const ended = (r: Failure): void => {
        clearTimeout(timer);
        live.dead = true;
        reject(r);
        live.settle?.(r);
      };
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          clearTimeout(timer);
          live.isReady = true;
          resolve();
        } else if (msg.type === 'init-error') {
          ended({ ok: false, error: msg.error });
          this.kill('instantiation failed', live);
        } else if (msg.type === 'result') {
          live.handles = msg.handles;
          if (!msg.ok && msg.poisoned) this.kill(`${msg.error.code} poisoned the instance`, live);
          live.settle?.(msg.ok ? { ok: true, value: msg.value } : { ok: false, error: msg.error });
        } else {
          live.onEvent?.(msg);
        }
      });
      worker.on('error', (err: Error & { code?: string }) => {
        this.opts.log(`component worker failed: ${err.message}`);
        ended(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? fail(ErrorCode.MemoryLimit, `the component exceeded its JS heap limit and was stopped: ${err.message}`)
            : fail(ErrorCode.Internal, `the component worker crashed: ${err.message}`),
        );
      });
      worker.on('exit', (code) => ended(fail(ErrorCode.Internal, `the component worker exited unexpectedly (exit code ${code})`)));
    });
    // The caller awaits `ready`; avoid an unhandled rejection when nobody is waiting any more.
    live.ready.catch(() => undefined);
    return live;
  }

  private kill(reason: string, which: Live | undefined = this.live): void {
    if (!which) return;
    if (which === this.live) this.live = undefined;
    if (!which.dead) this.opts.log(`restarting component worker: ${reason}`);
    which.dead = true;
    void which.worker.terminate();
  }
}

/** An outcome for a call that never reached the component. */
function refused(code: string, message: string, data?: Record<string, unknown>): CallOutcome {
  return { ok: false, code, message, ...(data ? { data } : {}), denials: [], output: { stdout: '', stderr: '' }, durationMs: 0 };
}

/** Specs are built once per change and never mutated afterwards (core/spec-cache.ts), so a key per object is enough. */
const specKeys = new WeakMap<SandboxSpec, string>();

function specKey(spec: SandboxSpec): string {
  let key = specKeys.get(spec);
  if (key === undefined) {
    key = JSON.stringify(spec);
    specKeys.set(spec, key);
  }
  return key;
}

function isFailure(e: unknown): e is Failure {
  return typeof e === 'object' && e !== null && (e as Failure).ok === false && typeof (e as Failure).error === 'object';
}
