// Caches each component's sandbox spec; rebuilt after grants, secrets or policies change, including
// changes committed by another process (the CLI, the approvals UI), seen through SQLite's change counter.
import type { SandboxSpec } from '../sandbox/spec.js';

export class SpecCache {
  private readonly specs = new Map<string, SandboxSpec>();
  private generation = -1;

  constructor(
    private readonly externalGeneration: () => number,
    private readonly build: (componentId: string) => SandboxSpec,
  ) {}

  get(componentId: string): SandboxSpec {
    const generation = this.externalGeneration();
    if (generation !== this.generation) {
      this.specs.clear();
      this.generation = generation;
    }
    let spec = this.specs.get(componentId);
    if (!spec) {
      spec = this.build(componentId);
      this.specs.set(componentId, spec);
    }
    return spec;
  }

  invalidate(componentId?: string): void {
    if (componentId === undefined) this.specs.clear();
    else this.specs.delete(componentId);
  }
}
