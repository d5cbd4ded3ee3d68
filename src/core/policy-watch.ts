// Tells listeners which components' effective policies changed, whether the change was made here (a grant
// tool) or by another process on the same store (the CLI, the approvals UI): a fingerprint per component,
// compared only when the store says something was committed.
export class PolicyWatch {
  readonly #listeners = new Set<(componentId: string) => void>();
  readonly #seen = new Map<string, string>();
  #generation = -1;

  constructor(
    private readonly generation: () => number,
    private readonly ids: () => readonly string[],
    private readonly fingerprint: (componentId: string) => string,
  ) {}

  on(listener: (componentId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A change made in this process: announce it now (and remember the new state). */
  changed(componentId: string): void {
    if (this.#listeners.size === 0) return;
    this.#remember(componentId);
    this.#emit(componentId);
  }

  /** Looks for changes other processes committed; cheap (one pragma read) when nothing was committed. */
  check(): void {
    if (this.#listeners.size === 0) return;
    const g = this.generation();
    if (g === this.#generation) return;
    const first = this.#generation === -1;
    this.#generation = g;
    const live = new Set(this.ids());
    for (const id of this.#seen.keys()) if (!live.has(id)) this.#seen.delete(id);
    for (const id of live) {
      const before = this.#seen.get(id);
      const now = this.#remember(id);
      if (!first && before !== undefined && before !== now) this.#emit(id);
    }
  }

  #remember(id: string): string {
    let fp: string;
    try {
      fp = this.fingerprint(id);
    } catch {
      fp = '';
    }
    this.#seen.set(id, fp);
    return fp;
  }

  #emit(id: string): void {
    for (const l of this.#listeners) l(id);
  }
}
