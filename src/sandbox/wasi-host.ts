// Builds one component instance's WASI import object from its SandboxSpec: deny by default, every grant enforced on the host.
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import type { Denial, SandboxSpec } from './spec.js';
import { createCliImports, type OutputHook } from './stdio-guard.js';
import { FdSlots } from './fd-slots.js';
import { guardFilesystem } from './fs-guard.js';
import { guardOutgoingHandler } from './http-guard.js';
import { guardSockets } from './sockets-guard.js';

export interface WasiHostHooks {
  /** Called synchronously for every refused operation (audit log + message to the agent). */
  onDenial(d: Denial): void;
  /** Guest stdout/stderr; never written to the process's own stdout. */
  onOutput(stream: 'stdout' | 'stderr', chunk: Uint8Array): void;
  /** Shared table of the host fds this instance holds (see fd-slots.ts); a private one when absent. */
  fdSlots?: SharedArrayBuffer;
}

/** The WASI version componentize-js 0.23 targets; jco's generated code reads unversioned keys, we provide both. */
export const WASI_VERSIONS = ['0.2.0', '0.2.1', '0.2.2', '0.2.3', '0.2.4', '0.2.5', '0.2.6', '0.2.7', '0.2.8', '0.2.9', '0.2.10', '0.2.11', '0.2.12'] as const;

type ImportObject = Record<string, unknown>;

function withVersionedKeys(unversioned: ImportObject): ImportObject {
  const out: ImportObject = { ...unversioned };
  for (const [key, value] of Object.entries(unversioned)) {
    for (const v of WASI_VERSIONS) out[`${key}@${v}`] = value;
  }
  return out;
}

/**
 * The import object for jco's generated `instantiate(getCoreModule, imports)`.
 *
 * - Filesystem: each `spec.preopens` entry is preopened at the same guest path, plus a deny-by-default `/` that
 *   reports every path outside the grants; paths are resolved beneath host directory fds (fs-guard.ts).
 * - Environment: exactly `spec.env`.
 * - HTTP: `wasi:http/outgoing-handler.handle` only reaches hosts in `spec.networkAllow` (each redirect hop is a new
 *   request through the same check, since the shim never follows redirects itself).
 * - Sockets: TCP connect only to allowed IP literals or to addresses resolved from allowed names; no bind/listen
 *   unless allowed exactly; UDP refused; name lookup only for allowed names.
 * - Control plane: `spec.controlPlane` (the server's own listening ports) is refused to HTTP and TCP whatever is
 *   granted: every address of this machine on those ports, the names the server answers to, and granted names
 *   that resolve to this machine.
 * - Clocks and random are always allowed. stdout/stderr go to `hooks.onOutput`; stdin is empty; `exit` throws.
 *
 * Call once per component instance (never share between instances): all state lives in the returned object.
 */
export function createWasiImports(spec: SandboxSpec, hooks: WasiHostHooks): ImportObject {
  const onDenial = (d: Denial): void => hooks.onDenial(d);
  const onOutput: OutputHook = (stream, chunk) => hooks.onOutput(stream, chunk);
  // The shim gets no preopens: its filesystem re-resolves path strings, ours is used instead.
  const shim = new WASIShim({
    sandbox: { preopens: {}, env: { ...spec.env }, args: [], enableNetwork: spec.networkAllow.length > 0 },
  } as never);
  const base = shim.getImportObject() as ImportObject;
  const imports: ImportObject = {
    ...base,
    ...createCliImports(spec.env, onOutput),
    ...guardFilesystem(spec.preopens, onDenial, new FdSlots(hooks.fdSlots), spec.reserved),
    ...guardSockets(base, spec.networkAllow, onDenial, spec.controlPlane),
    'wasi:http/outgoing-handler': guardOutgoingHandler(base['wasi:http/outgoing-handler'], spec.networkAllow, onDenial, spec.controlPlane),
  };
  return withVersionedKeys(imports);
}
