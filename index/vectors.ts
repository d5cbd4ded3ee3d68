// Cosine ANN over document embeddings (hnswlib-node), persisted beside the db and rebuilt from SQLite when stale.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import hnswlib from 'hnswlib-node';
import type { StoredEmbedding } from './store-schema.js';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** Written after the index file: a sidecar naming an older generation marks the file stale. */
interface Sidecar {
  readonly format: 1;
  readonly generation: number;
  readonly model: string;
  readonly dim: number;
  readonly live: number;
  /** Labels still in the file but marked deleted (hnswlib lists them with the live ones). */
  readonly deleted: readonly number[];
  readonly bytes: number;
  readonly sha256: string;
}

export interface VectorHit {
  readonly id: number;
  readonly similarity: number;
}

const M = 16;
const EF_CONSTRUCTION = 200;
const MIN_CAPACITY = 1024;

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export class VectorIndex {
  readonly #path: string;
  readonly #dim: number;
  readonly #model: string;
  #index: Hnsw;
  #live = new Set<number>();
  /** How the index came to be: 'file' (read back), 'rebuilt' (from SQLite). Tests and logs read it. */
  readonly origin: 'file' | 'rebuilt';

  private constructor(path: string, dim: number, model: string, index: Hnsw, live: Set<number>, origin: 'file' | 'rebuilt') {
    this.#path = path;
    this.#dim = dim;
    this.#model = model;
    this.#index = index;
    this.#live = live;
    this.origin = origin;
  }

  /**
   * Reads `path` when its sidecar matches the db's generation, the model and the file's hash;
   * otherwise (missing, corrupt, written before a crash) rebuilds from the stored embeddings.
   */
  static open(path: string, opts: { dim: number; model: string; generation: number; embeddings: () => Iterable<StoredEmbedding> }): VectorIndex {
    const read = VectorIndex.#tryRead(path, opts);
    if (read !== undefined) return new VectorIndex(path, opts.dim, opts.model, read.index, read.live, 'file');
    const v = new VectorIndex(path, opts.dim, opts.model, VectorIndex.#empty(opts.dim, MIN_CAPACITY), new Set(), 'rebuilt');
    v.#rebuild(opts.embeddings);
    return v;
  }

  static #empty(dim: number, capacity: number): Hnsw {
    const index = new HierarchicalNSW('cosine', dim);
    index.initIndex({ maxElements: capacity, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 42, allowReplaceDeleted: true });
    return index;
  }

  static #tryRead(path: string, opts: { dim: number; model: string; generation: number }): { index: Hnsw; live: Set<number> } | undefined {
    try {
      if (!existsSync(path) || !existsSync(`${path}.json`)) return undefined;
      const side = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as Sidecar;
      if (side.format !== 1 || side.generation !== opts.generation || side.model !== opts.model || side.dim !== opts.dim) return undefined;
      // hnswlib trusts the file's header; a hash check keeps a corrupted file from being read at all.
      if (statSync(path).size !== side.bytes || sha256File(path) !== side.sha256) return undefined;
      const index = new HierarchicalNSW('cosine', opts.dim);
      index.readIndexSync(path, true);
      const deleted = new Set(side.deleted);
      const live = new Set(index.getIdsList().filter((id) => !deleted.has(id)));
      if (live.size !== side.live) return undefined;
      return { index, live };
    } catch {
      return undefined;
    }
  }

  #rebuild(embeddings: () => Iterable<StoredEmbedding>): void {
    const items = [...embeddings()];
    this.#index = VectorIndex.#empty(this.#dim, Math.max(MIN_CAPACITY, Math.ceil(items.length * 1.25)));
    this.#live = new Set();
    this.add(items);
  }

  get size(): number {
    return this.#live.size;
  }

  add(items: readonly StoredEmbedding[]): void {
    for (const { id, vector } of items) {
      if (vector.length !== this.#dim) throw new Error(`embedding of document ${id} has ${vector.length} dimensions, expected ${this.#dim}`);
      if (this.#live.has(id)) continue;
      const capacity = this.#index.getMaxElements();
      const deletedSlots = this.#index.getCurrentCount() - this.#live.size;
      if (this.#index.getCurrentCount() >= capacity && deletedSlots === 0) this.#index.resizeIndex(capacity * 2);
      // replaceDeleted reuses a deleted slot, so replacing sources over and over does not grow the file.
      this.#index.addPoint(Array.from(vector), id, deletedSlots > 0);
      this.#live.add(id);
    }
  }

  remove(ids: readonly number[]): void {
    for (const id of ids) {
      if (!this.#live.delete(id)) continue;
      this.#index.markDelete(id);
    }
  }

  search(vector: Float32Array, k: number): VectorHit[] {
    const n = Math.min(k, this.#live.size);
    if (n === 0) return [];
    this.#index.setEf(Math.max(64, n * 2));
    const { neighbors, distances } = this.#index.searchKnn(Array.from(vector), n);
    return neighbors.map((id, i) => ({ id, similarity: 1 - (distances[i] ?? 1) }));
  }

  /** Index file first, sidecar last, each by rename: a crash between them leaves a stale, detected pair. */
  persist(generation: number): void {
    const tmp = `${this.#path}.${process.pid}.tmp`;
    this.#index.writeIndexSync(tmp);
    const sidecar: Sidecar = {
      format: 1,
      generation,
      model: this.#model,
      dim: this.#dim,
      live: this.#live.size,
      deleted: this.#index.getIdsList().filter((id) => !this.#live.has(id)),
      bytes: statSync(tmp).size,
      sha256: sha256File(tmp),
    };
    rmSync(`${this.#path}.json`, { force: true });
    renameSync(tmp, this.#path);
    writeFileSync(`${tmp}.json`, JSON.stringify(sidecar));
    renameSync(`${tmp}.json`, `${this.#path}.json`);
  }
}
