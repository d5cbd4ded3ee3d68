// Component worker threads: how one is spawned, and one spare per runtime that is already booted
// (worker-main and preview2-shim imported, nothing component-specific) so a (re)start skips that cost.
import { Worker } from 'node:worker_threads';
import { workerEntry } from './worker-entry.js';
import type { ToWorker, WorkerInit } from './worker-protocol.js';

export interface WorkerSpawnOptions {
  /** V8 heap cap of the worker (JS objects; wasm memory is capped separately). Default 256. */
  heapMb?: number;
  /** Where the worker's own stdout/stderr goes (never our stdout, which may carry MCP). */
  log: (msg: string) => void;
}

/**
 * Starts a component worker that instantiates `init` at once (passed as workerData), with its
 * stdout/stderr going to the log.
 */
export function spawnWorker(opts: WorkerSpawnOptions, init: WorkerInit): Worker {
  const worker = createWorker(opts.heapMb, init);
  pipeOutput(worker, opts.log);
  return worker;
}

/** Without `init` the worker boots and waits for a `{type: 'init'}` message (a spare). */
function createWorker(heapMb: number | undefined, init?: WorkerInit): Worker {
  const entry = workerEntry();
  return new Worker(entry.script, {
    eval: entry.evalCode,
    ...(init ? { workerData: init } : {}),
    resourceLimits: { maxOldGenerationSizeMb: heapMb ?? 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    // Nothing from a worker may reach our stdout (it carries MCP in stdio mode), and the host
    // environment is not the guest's: the guest's env comes only from its spec.
    stdout: true,
    stderr: true,
    env: {},
  });
}

/**
 * Reading a worker's stdout/stderr listens on an internal port that holds the process open even
 * after `unref()`, so a spare's output is only read once it is taken (until then it is buffered).
 */
function pipeOutput(worker: Worker, log: (msg: string) => void): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    worker[stream].setEncoding('utf8');
    worker[stream].on('data', (text: string) => log(`component worker ${stream}: ${text.trimEnd()}`));
  }
}

/** Pause between a start finishing and the spare's boot, so the first calls after a start run alone. */
const SPARE_DELAY_MS = 100;

interface Spare {
  worker: Worker;
  dead: boolean;
  detach: () => void;
}

/**
 * Hands out workers for instance starts. Each worker serves exactly one instance and is never
 * returned: isolation is the same as spawning one per start. After the first `take`, one spare is
 * kept booting/booted in the background; it is unref'd while idle so it never keeps the process
 * alive, and `close()` terminates it. A spare that dies idle is dropped and the next `take` spawns
 * a fresh worker (then boots a new spare), so a broken spare costs a start nothing extra.
 */
export class WorkerPool {
  private spare: Spare | undefined;
  private closed = false;

  constructor(private readonly opts: WorkerSpawnOptions) {}

  /** A worker that is instantiating `init`; the caller attaches its listeners synchronously. */
  take(init: WorkerInit): Worker {
    const spare = this.spare;
    this.spare = undefined;
    let worker: Worker;
    if (spare && !spare.dead) {
      spare.detach();
      worker = spare.worker;
      try {
        worker.postMessage({ type: 'init', init } satisfies ToWorker);
      } catch (e) {
        void worker.terminate();
        throw e;
      }
      worker.ref();
      pipeOutput(worker, this.opts.log);
    } else {
      worker = spawnWorker(this.opts, init);
    }
    this.replenishAfter(worker);
    return worker;
  }

  /** Whether a spare worker exists right now (for tests). */
  get hasSpare(): boolean {
    return this.spare !== undefined && !this.spare.dead;
  }

  /** Terminates the spare; no further spares are booted. */
  async close(): Promise<void> {
    this.closed = true;
    const spare = this.spare;
    this.spare = undefined;
    if (spare) {
      spare.detach();
      spare.dead = true;
      await spare.worker.terminate();
    }
  }

  /**
   * Boots the next spare once `worker` has finished instantiating (its first message) or ended:
   * booting alongside it would compete for the same cores and slow the start it is meant to help.
   */
  private replenishAfter(worker: Worker): void {
    const next = (): void => {
      worker.off('message', next);
      worker.off('exit', next);
      const timer = setTimeout(() => {
        if (!this.closed && !this.hasSpare) this.spare = this.boot();
      }, SPARE_DELAY_MS);
      timer.unref();
    };
    worker.on('message', next);
    worker.on('exit', next);
  }

  private boot(): Spare {
    const worker = createWorker(this.opts.heapMb);
    worker.unref();
    const spare: Spare = { worker, dead: false, detach: () => undefined };
    const onError = (err: Error): void => {
      spare.dead = true;
      this.opts.log(`spare component worker failed while idle: ${err.message}`);
    };
    const onExit = (): void => {
      spare.dead = true;
      spare.detach();
      if (this.spare === spare) this.spare = undefined;
    };
    worker.on('error', onError);
    worker.on('exit', onExit);
    spare.detach = () => {
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    return spare;
  }
}
