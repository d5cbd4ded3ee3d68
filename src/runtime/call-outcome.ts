// The result shape of one component call, shared by the instance and the runtime facade.
import type { WitFunction } from '../component/wit-types.js';
import type { Denial } from '../sandbox/spec.js';

export interface CallOutput {
  stdout: string;
  stderr: string;
}

/**
 * `value` is the guest's JS value (jco representation: u64/s64 as BigInt, list<u8> as Uint8Array,
 * option none as undefined, records with camelCase keys) with resources replaced by handle strings
 * such as `counter#1`; a top-level `result<T,E>` is `{tag:'ok',val}` or `{tag:'err',val}`.
 * Failures carry an `ErrorCode` value as `code` (trap, timeout, memory-limit, output-too-large,
 * invalid-argument, unsupported-import, not-found, internal, ...).
 */
export type CallOutcome =
  | { ok: true; value: unknown; denials: Denial[]; output: CallOutput; durationMs: number }
  | { ok: false; code: string; message: string; data?: Record<string, unknown>; denials: Denial[]; output: CallOutput; durationMs: number };

/** Optional live observers for one call (e.g. the audit log, progress notifications). */
export interface CallHooks {
  /** Aborting stops the call: a queued call never starts, a running one has its worker stopped (restarted on the next call). */
  signal?: AbortSignal;
  onDenial?(denial: Denial): void;
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
}

/**
 * Splits a successful call's value into the shape `toolResultToJson` (component/tools.ts) takes:
 * a top-level `result<T,E>` arrives here as `{tag, val}` and becomes ok(T) or err(E).
 */
export function splitResult(fn: WitFunction, value: unknown): { kind: 'ok'; value: unknown } | { kind: 'err'; payload: unknown } {
  if (fn.result?.kind !== 'result') return { kind: 'ok', value };
  const v = value as { tag: 'ok' | 'err'; val?: unknown };
  return v.tag === 'err' ? { kind: 'err', payload: v.val } : { kind: 'ok', value: v.val };
}
