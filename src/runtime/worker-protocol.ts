// Messages between the main thread and a component worker (structured-cloned over the worker port).
import type { WitFunction } from '../component/wit-types.js';
import type { Denial, SandboxSpec } from '../sandbox/spec.js';

/** Which export to call: a function at world level or inside an exported interface. */
export interface CallTarget {
  /** Exported interface name as in WIT (`local:calc/math@0.1.0`); absent for world-level functions. */
  interface?: string;
  function: WitFunction;
}

export interface WorkerInit {
  /** file:// URL of the generated ES module. */
  entryUrl: string;
  /** Compiled (memory-capped) core modules by the file name the generated code asks for. */
  modules: Record<string, WebAssembly.Module>;
  /** Import names the generated code reads (unversioned). */
  imports: string[];
  spec: SandboxSpec;
  /** Cap on stdout/stderr bytes forwarded per call and stream. */
  maxStreamBytes: number;
  /** Directory fds the guest holds (sandbox/fd-slots.ts); the main thread closes what is left when the worker ends. */
  fdSlots?: SharedArrayBuffer;
}

export interface WireError {
  code: string;
  message: string;
  data?: Record<string, unknown>;
}

export type ToWorker =
  /**
   * `fn` numbers the target within this worker; `target` (the whole WIT description) is sent only with the
   * first call of each number, and the worker keeps it, so a hot call carries just its arguments.
   */
  | { type: 'call'; id: number; fn: number; target?: CallTarget; args: unknown[]; maxOutputBytes: number }
  /** To a spare worker started without workerData: the component it is for (sent once, first). */
  | { type: 'init'; init: WorkerInit };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; error: WireError }
  /** `handles`: resource handles the instance holds after the call (an instance holding some is never idle-stopped). */
  | { type: 'result'; id: number; ok: true; value: unknown; handles: number }
  /** `poisoned`: the instance must not be used again (trap); the host restarts it lazily. */
  | { type: 'result'; id: number; ok: false; error: WireError; poisoned: boolean; handles: number }
  | { type: 'denial'; denial: Denial }
  | { type: 'output'; stream: 'stdout' | 'stderr'; chunk: Uint8Array };
