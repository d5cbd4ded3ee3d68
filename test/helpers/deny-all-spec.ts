// A sandbox that grants nothing, for runtime tests that only need limits.
import type { SandboxSpec } from '../../src/sandbox/spec.js';

export function denyAllSpec(limits: Pick<SandboxSpec, 'timeoutMs' | 'memoryBytes' | 'maxOutputBytes'>): SandboxSpec {
  return { preopens: [], env: {}, networkAllow: [], ...limits };
}
