// Worker-thread entry: instantiates one component with its own policy-bound WASI host and answers
// call messages. Runs with no process-wide WASI state; every instance has its own import object.
import { parentPort, workerData } from 'node:worker_threads';
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import type { WitType } from '../component/wit-types.js';
import type { Denial } from '../sandbox/spec.js';
import { MAX_DENIALS_PER_CALL, MAX_DENIAL_BYTES_PER_CALL, boundDenial, denialBytes } from '../sandbox/denial-bounds.js';
import { HandleTable, argToGuest, camelName, pascalName, resultFromGuest } from './handle-table.js';
import { checkImports } from './host-imports.js';
import { LIFT_HOOK } from './glue-patch.js';
import { withLazyShimIoWorker } from './lazy-io-worker.js';
import { LIFT_BUDGET_FACTOR, liftCost } from './lift-cost.js';
import { jsonSizeUpTo } from './output-size.js';
import type { CallTarget, FromWorker, ToWorker, WireError, WorkerInit } from './worker-protocol.js';

type Fn = (...args: unknown[]) => unknown;

const port = parentPort!;
/** Set before anything uses it: from workerData, or from the first message when started as a spare. */
let init: WorkerInit;
const table = new HandleTable();
const forwarded = { stdout: 0, stderr: 0 };
const truncated = { stdout: false, stderr: false };

/**
 * Guest output waiting to be sent. A guest writing one byte at a time would otherwise cost the main
 * thread one message per write (half its time for a single flooding component), so output goes out
 * in batches: when a batch is large or old enough, and always before any other message.
 */
const pending = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[] };
const pendingBytes = { stdout: 0, stderr: 0 };
const FLUSH_BYTES = 64 * 1024;
const FLUSH_MS = 50;
let lastFlush = performance.now();

function flushOutput(): void {
  lastFlush = performance.now();
  for (const stream of ['stdout', 'stderr'] as const) {
    if (pending[stream].length === 0) continue;
    const chunk = new Uint8Array(Buffer.concat(pending[stream]));
    pending[stream] = [];
    pendingBytes[stream] = 0;
    port.postMessage({ type: 'output', stream, chunk } satisfies FromWorker);
  }
}

/**
 * Refusals of the current call. A guest retrying a refused operation in a loop would otherwise send
 * one message, audit row and log line per attempt: repeats and anything past the first few distinct
 * refusals are only counted, and one summary refusal closes the call.
 */
const MAX_DENIALS = MAX_DENIALS_PER_CALL;
const denials = { seen: new Set<string>(), bytes: 0, suppressed: 0, last: undefined as Denial | undefined };

function onDenial(raw: Denial): void {
  // Truncate first: a guest choosing multi-MB paths must not make each record (or its key) that big.
  const denial = boundDenial(raw);
  const key = `${denial.capability}\0${denial.target}\0${denial.reason}`;
  const size = denialBytes(denial);
  if (denials.seen.has(key) || denials.seen.size >= MAX_DENIALS || denials.bytes + size > MAX_DENIAL_BYTES_PER_CALL) {
    denials.suppressed++;
    denials.last = denial;
    return;
  }
  denials.seen.add(key);
  denials.bytes += size;
  post({ type: 'denial', denial });
}

function endCallDenials(): void {
  const { suppressed, last } = denials;
  denials.seen.clear();
  denials.bytes = 0;
  denials.suppressed = 0;
  denials.last = undefined;
  if (suppressed === 0 || !last) return;
  port.postMessage({
    type: 'denial',
    denial: boundDenial({
      capability: last.capability,
      target: last.target,
      reason: `${suppressed} more refusals in this call (repeats, or beyond the first ${MAX_DENIALS} distinct ones or ${MAX_DENIAL_BYTES_PER_CALL} bytes) were not reported one by one; the last: ${last.reason}`,
    }),
  } satisfies FromWorker);
}

type Result = Extract<FromWorker, { type: 'result' }>;
type WithoutHandles<T> = T extends unknown ? Omit<T, 'handles'> : never;

/** Every result says how many resource handles the instance holds now (the host keeps such an instance running). */
function postResult(msg: WithoutHandles<Result>): void {
  (msg as Result).handles = table.size;
  post(msg as Result);
}

function post(msg: FromWorker): void {
  flushOutput();
  if (msg.type === 'result' || msg.type === 'init-error' || msg.type === 'ready') endCallDenials();
  port.postMessage(msg);
}

function queueOutput(stream: 'stdout' | 'stderr', chunk: Uint8Array): void {
  pending[stream].push(chunk);
  pendingBytes[stream] += chunk.length;
  if (pendingBytes[stream] >= FLUSH_BYTES || performance.now() - lastFlush >= FLUSH_MS) flushOutput();
}

function onOutput(stream: 'stdout' | 'stderr', chunk: Uint8Array): void {
  const room = init.maxStreamBytes - forwarded[stream];
  if (chunk.length <= room) {
    forwarded[stream] += chunk.length;
    queueOutput(stream, chunk.slice());
    return;
  }
  if (room > 0) queueOutput(stream, chunk.slice(0, room));
  forwarded[stream] = init.maxStreamBytes;
  if (!truncated[stream]) {
    truncated[stream] = true;
    const note = `\n[${stream} truncated: more than ${init.maxStreamBytes} bytes in one call]\n`;
    queueOutput(stream, new TextEncoder().encode(note));
  }
}

/** Largest string the generated glue may lift out of the guest; the current call's output limit. */
const liftLimit = { bytes: 0 };

/**
 * Runs `fn` (jco's `instantiate`, which creates its UTF-8 decoder up front) with a TextDecoder that
 * refuses inputs over the output limit. Lifting a huge guest string would otherwise put it on the
 * worker's V8 heap, and a heap far over its limit aborts the whole process, not just the worker.
 */
function withGuardedDecoder<T>(fn: () => T): T {
  const Original = globalThis.TextDecoder;
  class GuardedTextDecoder extends Original {
    override decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
      const n = input?.byteLength ?? 0;
      if (n > liftLimit.bytes) {
        throw new WassetteError(ErrorCode.OutputTooLarge, `the component produced a ${n}-byte string, more than the ${liftLimit.bytes}-byte output limit`, {
          data: { size: n, limit: liftLimit.bytes },
        });
      }
      return super.decode(input, options);
    }
  }
  globalThis.TextDecoder = GuardedTextDecoder;
  try {
    return fn();
  } finally {
    globalThis.TextDecoder = Original;
  }
}

/** The result type of the export call in progress, taken by the first core call that returns. */
const pendingLift = { armed: false, type: undefined as WitType | undefined };

/** Called by the patched glue (glue-patch.ts) between the core call returning and lifting its result. */
function liftGuard(ret: unknown, memory: WebAssembly.Memory | null): unknown {
  if (!pendingLift.armed) return ret;
  pendingLift.armed = false;
  const budget = LIFT_BUDGET_FACTOR * liftLimit.bytes;
  const view = memory ? new DataView(memory.buffer) : undefined;
  const cost = liftCost(pendingLift.type, view, ret, budget);
  if (cost > budget) {
    throw new WassetteError(
      ErrorCode.OutputTooLarge,
      `the result would cost more than ${budget} bytes to copy out of the component (${LIFT_BUDGET_FACTOR}x the ${liftLimit.bytes}-byte output limit); refused before copying`,
      { data: { size: cost, limit: liftLimit.bytes } },
    );
  }
  return ret;
}
(globalThis as Record<string, unknown>)[LIFT_HOOK] = liftGuard;

// The WASI host (and preview2-shim under it) is imported with the shim's I/O worker deferred to its first use.
const { createWasiImports } = await withLazyShimIoWorker(() => import('../sandbox/wasi-host.js'));

async function instantiate(): Promise<Record<string, unknown>> {
  const imports = createWasiImports(init.spec, { onDenial, onOutput, ...(init.fdSlots ? { fdSlots: init.fdSlots } : {}) });
  checkImports(init.imports, new Set(Object.keys(imports).filter((k) => imports[k] !== undefined)));
  const generated = (await import(init.entryUrl)) as {
    instantiate(
      get: (name: string) => WebAssembly.Module,
      imports: Record<string, unknown>,
      core: typeof WebAssembly.instantiate,
    ): Promise<Record<string, unknown>>;
  };
  const getCoreModule = (name: string): WebAssembly.Module => {
    const m = init.modules[name];
    if (!m) throw new WassetteError(ErrorCode.Internal, `transpiled component asks for core module ${name}, which was not compiled`);
    return m;
  };
  return withGuardedDecoder(() => generated.instantiate(getCoreModule, imports, WebAssembly.instantiate));
}

function lookup(exportsObj: Record<string, unknown>, target: CallTarget): { fn: Fn; self?: unknown } {
  const f = target.function;
  let scope: Record<string, unknown> = exportsObj;
  if (target.interface !== undefined) {
    const iface = target.interface;
    const found =
      exportsObj[iface] ??
      exportsObj[iface.replace(/@[^@]*$/, '')] ??
      exportsObj[
        camelName(
          iface
            .replace(/@[^@]*$/, '')
            .split('/')
            .pop() ?? '',
        )
      ];
    if (typeof found !== 'object' || found === null) throw notFound(`interface "${iface}" is not exported by this component`);
    scope = found as Record<string, unknown>;
  }
  if (f.kind === 'freestanding') {
    const fn = scope[camelName(f.name)] ?? scope[f.name];
    if (typeof fn !== 'function') throw notFound(`function "${f.name}" is not exported${target.interface ? ` by ${target.interface}` : ''}`);
    return { fn: fn as Fn };
  }
  const cls = scope[pascalName(f.resource ?? '')] as (Fn & Record<string, unknown>) | undefined;
  if (typeof cls !== 'function') throw notFound(`resource "${f.resource ?? '?'}" is not exported${target.interface ? ` by ${target.interface}` : ''}`);
  if (f.kind === 'constructor') return { fn: (...args: unknown[]) => Reflect.construct(cls, args) };
  const member = camelName(f.name);
  if (f.kind === 'static') {
    if (typeof cls[member] !== 'function') throw notFound(`static function "${f.resource}.${f.name}" is not exported`);
    return { fn: (cls[member] as Fn).bind(cls) };
  }
  const method = (cls.prototype as Record<string, unknown>)[member];
  if (typeof method !== 'function') throw notFound(`method "${f.resource}.${f.name}" is not exported`);
  return { fn: method as Fn, self: true };
}

function notFound(msg: string): WassetteError {
  return new WassetteError(ErrorCode.NotFound, msg);
}

function resultType(target: CallTarget): WitType | undefined {
  const f = target.function;
  if (f.result === undefined && f.kind === 'constructor' && f.resource) return { kind: 'own', resource: f.resource };
  return f.result;
}

/** Targets by the number the host gave them, with the export each resolves to (looked up on first use). */
const targets = new Map<number, { target: CallTarget; resolved?: { fn: Fn; self?: unknown } }>();

function targetOf(msg: Extract<ToWorker, { type: 'call' }>): { target: CallTarget; resolved?: { fn: Fn; self?: unknown } } {
  if (msg.target) targets.set(msg.fn, { target: msg.target });
  const entry = targets.get(msg.fn);
  if (!entry) throw new WassetteError(ErrorCode.Internal, `call names function #${msg.fn}, whose description this worker never received`);
  return entry;
}

async function invoke(
  exportsObj: Record<string, unknown>,
  entry: { target: CallTarget; resolved?: { fn: Fn; self?: unknown } },
  args: unknown[],
): Promise<unknown> {
  const target = entry.target;
  entry.resolved ??= lookup(exportsObj, target);
  const { fn, self } = entry.resolved;
  const params = target.function.params;
  if (args.length !== params.length) {
    throw new WassetteError(ErrorCode.InvalidArgument, `${target.function.name} takes ${params.length} argument(s), got ${args.length}`);
  }
  const consumed: string[] = [];
  const guestArgs = args.map((a, i) => argToGuest(a, params[i]!.type, table, consumed));
  const type = resultType(target);
  let raw: unknown;
  pendingLift.armed = true;
  pendingLift.type = type;
  try {
    raw = self ? await fn.apply(guestArgs[0], guestArgs.slice(1)) : await fn(...guestArgs);
    if (type?.kind === 'result') raw = { tag: 'ok', val: raw };
  } catch (e) {
    if (type?.kind !== 'result' || typeof e !== 'object' || e === null || !Object.hasOwn(e, 'payload')) throw e;
    raw = { tag: 'err', val: (e as { payload: unknown }).payload };
  } finally {
    pendingLift.armed = false;
  }
  for (const h of consumed) table.delete(h);
  return resultFromGuest(raw, type, table);
}

function classify(e: unknown): { error: WireError; poisoned: boolean } {
  // A host-raised trap (e.g. wasi:cli/exit) or a refused lift unwinds the call midway: restart to be safe.
  if (e instanceof WassetteError) {
    const poisoned = e.code === ErrorCode.Trap || e.code === ErrorCode.OutputTooLarge;
    return { error: { code: e.code, message: e.message, ...(e.data ? { data: e.data } : {}) }, poisoned };
  }
  if (e instanceof WebAssembly.RuntimeError) return { error: { code: ErrorCode.Trap, message: errorMessage(e) }, poisoned: true };
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return { error: { code: ErrorCode.Trap, message: `wasm trap: call stack exhausted (${e.message})` }, poisoned: true };
  }
  // jco's lowering rejects ill-typed arguments with TypeError/RangeError before entering the guest.
  if (e instanceof TypeError || e instanceof RangeError) return { error: { code: ErrorCode.InvalidArgument, message: errorMessage(e) }, poisoned: false };
  return { error: { code: ErrorCode.Internal, message: `component call failed: ${errorMessage(e)}` }, poisoned: true };
}

/** A spare boots with no workerData and waits here, all imports done, for the component it will serve. */
function receiveInit(): Promise<WorkerInit> {
  return new Promise((resolve) => {
    const onMessage = (msg: ToWorker): void => {
      if (msg.type !== 'init') return;
      port.off('message', onMessage);
      resolve(msg.init);
    };
    port.on('message', onMessage);
  });
}

async function main(): Promise<void> {
  init = (workerData as WorkerInit | undefined) ?? (await receiveInit());
  liftLimit.bytes = init.spec.maxOutputBytes;
  let exportsObj: Record<string, unknown>;
  try {
    exportsObj = await instantiate();
  } catch (e) {
    const { error } = classify(e);
    post({ type: 'init-error', error: { ...error, message: `cannot instantiate component: ${error.message}` } });
    return;
  }
  port.on('message', (msg: ToWorker) => {
    if (msg.type !== 'call') return;
    forwarded.stdout = forwarded.stderr = 0;
    liftLimit.bytes = msg.maxOutputBytes;
    truncated.stdout = truncated.stderr = false;
    let entry: ReturnType<typeof targetOf>;
    try {
      entry = targetOf(msg);
    } catch (e) {
      postResult({ type: 'result', id: msg.id, ok: false, ...classify(e), poisoned: false });
      return;
    }
    invoke(exportsObj, entry, msg.args).then(
      (value) => {
        const size = jsonSizeUpTo(value, msg.maxOutputBytes);
        if (size > msg.maxOutputBytes) {
          const error = {
            code: ErrorCode.OutputTooLarge,
            message: `the result is larger than the ${msg.maxOutputBytes}-byte output limit (at least ${size} bytes as JSON)`,
            data: { size, limit: msg.maxOutputBytes },
          };
          postResult({ type: 'result', id: msg.id, ok: false, error, poisoned: false });
          return;
        }
        try {
          postResult({ type: 'result', id: msg.id, ok: true, value });
        } catch (e) {
          postResult({
            type: 'result',
            id: msg.id,
            ok: false,
            error: { code: ErrorCode.Internal, message: `the result cannot be sent back: ${errorMessage(e)}` },
            poisoned: false,
          });
        }
      },
      (e: unknown) => postResult({ type: 'result', id: msg.id, ok: false, ...classify(e) }),
    );
  });
  post({ type: 'ready' });
}

void main();
