// Stand-in for `src/sandbox/wasi-host.ts` (same function shape) used only while that module is
// absent: a deny-by-default WASIShim per instance, without output capture or denial reporting.
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import type { Denial, SandboxSpec } from '../sandbox/spec.js';

export interface WasiHooks {
  onDenial(d: Denial): void;
  onOutput(stream: 'stdout' | 'stderr', chunk: Uint8Array): void;
}

export function createWasiImports(spec: SandboxSpec, _hooks: WasiHooks): Record<string, unknown> {
  const preopens = Object.fromEntries(spec.preopens.map((p) => [p.path, p.path]));
  const shim = new WASIShim({ sandbox: { preopens, env: { ...spec.env }, args: ['component'], enableNetwork: false } });
  return shim.getImportObject() as unknown as Record<string, unknown>;
}
