// The index's public facade: open a db, replace or remove sources, search, close.
import { basename, dirname, join } from 'node:path';
import { type SourceInput, sourceDocuments } from './documents.js';
import { type Embedder, type EmbedderOptions, LazyEmbedder } from './embedder.js';
import { DEFAULT_FUSION, type FusionOptions, type Ranking, type SearchResponse, searchIndex } from './search.js';
import { IndexStore } from './store.js';
import { type Change, DEFAULT_FIELD_WEIGHTS, type FieldWeights, type SourceSummary, type StoredEmbedding } from './store-schema.js';
import { VectorIndex } from './vectors.js';

export const MAX_SEARCH_LIMIT = 50;

export class ToolIndexError extends Error {
  constructor(
    readonly code: 'invalid-query' | 'invalid-limit',
    message: string,
  ) {
    super(message);
    this.name = 'ToolIndexError';
  }
}

export interface ToolIndexOptions {
  /**
   * Where the model comes from: options for the real loader, a function giving an embedder (tests'
   * fakes), or null for lexical only. Loaded on the first search or replaceSource, never at open.
   */
  readonly embedder: EmbedderOptions | (() => Promise<Embedder | undefined>) | null;
  /** Told once why search is lexical only. */
  readonly log?: ((message: string) => void) | undefined;
  readonly fieldWeights?: FieldWeights | undefined;
  readonly fusion?: Partial<FusionOptions> | undefined;
  /** The vector file is rewritten at most this often (and at close); a crash in between costs a rebuild. */
  readonly persistIntervalMs?: number | undefined;
}

/** The dense half, and the db generation its vectors reflect. */
interface Dense {
  readonly embedder: Embedder;
  vectors: VectorIndex;
  generation: number;
}

export class ToolIndex {
  readonly #store: IndexStore;
  readonly #vectorPath: string;
  readonly #lazy: LazyEmbedder;
  readonly #fusion: FusionOptions;
  readonly #persistIntervalMs: number;
  readonly #log: (message: string) => void;
  #dense: Promise<Dense | undefined> | undefined;
  #lastPersist = 0;
  #dirty = false;

  private constructor(dbPath: string, opts: ToolIndexOptions) {
    this.#store = new IndexStore(dbPath, opts.fieldWeights ?? DEFAULT_FIELD_WEIGHTS);
    this.#vectorPath = join(dirname(dbPath), `${basename(dbPath, '.db')}.hnsw`);
    const log = opts.log ?? (() => {});
    this.#log = log;
    const source = opts.embedder;
    const load =
      source === null
        ? async () => ({ reason: 'no embedding model configured' })
        : typeof source === 'function'
          ? async () => {
              const embedder = await source();
              return embedder === undefined ? { reason: 'embedding model unavailable' } : { embedder };
            }
          : source;
    this.#lazy = new LazyEmbedder(load, (reason) => log(`search_tools: lexical ranking only: ${reason}`));
    this.#fusion = { ...DEFAULT_FUSION, ...opts.fusion };
    this.#persistIntervalMs = opts.persistIntervalMs ?? 2000;
  }

  /** Opens (creating if needed) the index in `dbPath`; the vector file lives beside it (`index.hnsw`). */
  static open(dbPath: string, opts: ToolIndexOptions): ToolIndex {
    return new ToolIndex(dbPath, opts);
  }

  get vectorPath(): string {
    return this.#vectorPath;
  }

  /** Loads the model once; embeds documents stored without one; opens or rebuilds the vector file. */
  #ready(): Promise<Dense | undefined> {
    this.#dense ??= (async () => {
      const embedder = await this.#lazy.get();
      if (embedder === undefined) return undefined;
      if (this.#store.getMeta('embed_model') !== embedder.id) {
        this.#store.clearEmbeddings();
        this.#store.setMeta('embed_model', embedder.id);
      }
      const dense: Dense = { embedder, ...(await this.#openVectors(embedder)) };
      return dense;
    })();
    return this.#dense;
  }

  async #openVectors(embedder: Embedder): Promise<{ vectors: VectorIndex; generation: number }> {
    const missing = this.#store.missingEmbeddings();
    if (missing.length > 0) {
      const items = [];
      for (const m of missing) items.push({ id: m.id, vector: await embedder.embed(m.text) });
      this.#store.setEmbeddings(items);
    }
    // Read once: the file check and the rebuild must agree on the generation they stand for.
    const generation = this.#store.generation();
    const vectors = VectorIndex.open(this.#vectorPath, {
      dim: embedder.dim,
      model: embedder.id,
      generation,
      embeddings: () => this.#store.embeddings(),
    });
    if (vectors.origin === 'rebuilt') this.#dirty = true;
    return { vectors, generation };
  }

  /**
   * Another process (the CLI beside the server) changed the db: reload the vectors, from its file
   * when it persisted that generation, else rebuilt from SQLite. Cheap to check: one SELECT.
   */
  async #sync(dense: Dense): Promise<void> {
    if (this.#store.generation() === dense.generation) return;
    Object.assign(dense, await this.#openVectors(dense.embedder));
  }

  /** Replaces everything the source had with `input`'s documents, atomically. */
  async replaceSource(input: SourceInput): Promise<{ documents: number }> {
    const docs = sourceDocuments(input);
    const dense = await this.#ready();
    const embeddings = [];
    for (const d of docs) embeddings.push(dense === undefined ? undefined : await dense.embedder.embed(d.embedText));
    const change = this.#store.replaceSource(input.source, input.kind, docs, embeddings);
    this.#afterChange(dense, change);
    return { documents: docs.length };
  }

  async removeSource(source: string): Promise<{ documents: number }> {
    const dense = await this.#ready();
    const change = this.#store.removeSource(source);
    this.#afterChange(dense, { ...change, added: [] });
    return { documents: change.removed.length };
  }

  #afterChange(dense: Dense | undefined, change: Change & { removed: number[]; added: StoredEmbedding[] }): void {
    if (dense === undefined) return;
    dense.vectors.remove(change.removed);
    dense.vectors.add(change.added);
    // Applied on top of the generation it started from: in step. Otherwise another process wrote
    // first, and the next search reloads (this change is in SQLite either way).
    if (dense.generation === change.before) dense.generation = change.after;
    this.#dirty = true;
    if (Date.now() - this.#lastPersist < this.#persistIntervalMs) return;
    try {
      this.#persist(dense);
    } catch (e) {
      // The change is committed in SQLite; a vector file not written now is rebuilt at the next open.
      this.#log(`search index: vector file not written: ${(e as Error).message}`);
    }
  }

  #persist(dense: Dense): void {
    // The generation the vectors reflect, never the db's newest: a file claiming another process's
    // change that it lacks would be trusted at the next open.
    dense.vectors.persist(dense.generation);
    this.#dirty = false;
    this.#lastPersist = Date.now();
  }

  /** Writes the vector file now if it changed. */
  async flush(): Promise<void> {
    const dense = await this.#lazyDenseIfLoaded();
    if (dense !== undefined && this.#dirty) this.#persist(dense);
  }

  /** `mode` forces one ranker (for the eval); without a model the ranking is lexical whatever is asked. */
  async search(query: string, limit = 5, mode?: Ranking): Promise<SearchResponse> {
    if (typeof query !== 'string' || query.trim().length === 0) throw new ToolIndexError('invalid-query', 'query must be a non-empty string');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      throw new ToolIndexError('invalid-limit', `limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}`);
    }
    const dense = mode === 'lexical' ? await this.#lazyDenseIfLoaded() : await this.#ready();
    if (dense !== undefined && mode !== 'lexical') await this.#sync(dense);
    return searchIndex({ store: this.#store, dense, fusion: this.#fusion }, query, limit, mode);
  }

  // A forced-lexical search must not pay for loading the model.
  async #lazyDenseIfLoaded(): Promise<Dense | undefined> {
    return this.#dense === undefined ? undefined : await this.#dense;
  }

  async stats(): Promise<{ sources: number; documents: number; embedded: number; vectors: number; ranking: 'hybrid' | 'lexical' }> {
    const dense = await this.#lazyDenseIfLoaded();
    return {
      ...this.#store.stats(),
      vectors: dense?.vectors.size ?? 0,
      ranking: dense === undefined ? 'lexical' : 'hybrid',
    };
  }

  sources(): string[] {
    return this.#store.sources();
  }

  /** Source -> the ref its documents carry, its tool count and the signature status recorded with it. */
  sourceSummaries(): Map<string, SourceSummary> {
    return this.#store.sourceSummaries();
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.#store.close();
    }
  }
}
