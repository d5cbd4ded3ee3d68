// Sentence embedder: all-MiniLM-L6-v2 (int8 ONNX) through @huggingface/transformers, loaded on first use only.
// Another model folder brings its own pooling and query prompt (index/model-settings.ts).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { truncateQuery } from './fts-query.js';
import { DEFAULT_SETTINGS, type ModelSettings, type Pooling, readModelSettings } from './model-settings.js';
import { MODEL_FILES_DIR, adaptQuery, adapterFitting, loadQueryAdapter } from './query-adapter.js';

/** What the index needs from a model; unit tests of plumbing pass a deterministic fake. */
export interface Embedder {
  /** Stored with the embeddings: a different id means they must be recomputed. */
  readonly id: string;
  readonly dim: number;
  /** A unit-length vector: documents, and queries when there is no `embedQuery`. */
  embed(text: string): Promise<Float32Array>;
  /** A search request's vector, in the same space as `embed`'s documents (the model's plus a learned query adapter). */
  embedQuery?(text: string): Promise<Float32Array>;
}

export const DEFAULT_MODEL_NAME = 'all-MiniLM-L6-v2';

export interface EmbedderOptions {
  /** The value of WASSETTE_EMBED_MODEL: a local model folder or a model id; undefined for the default. */
  readonly model?: string | undefined;
  /** Where model folders live (`<home>/models`): ids resolve to `<modelsDir>/<id>`, downloads are cached here. */
  readonly modelsDir: string;
  /** Download from the model hub when no local copy exists (a user's machine; never tests or CI). */
  readonly allowNetwork?: boolean | undefined;
  /** Where the committed query adapter is (index/model-files); tests point it elsewhere. */
  readonly adapterDir?: string | undefined;
}

interface Resolved {
  readonly localModelPath: string;
  readonly name: string;
  readonly remote: boolean;
  /** For a model given as a folder: that folder, so two folders of one name are two models. */
  readonly dir?: string;
}

/**
 * The id document vectors are stored under: a model by name keeps its name; a model given as a folder is named by
 * the folder, so swapping in another folder with the same base name (a fine-tuned copy) re-embeds the index.
 */
export function embedderId(where: Resolved): string {
  return `${where.dir ?? where.name}:q8`;
}

function isModelDir(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'onnx', 'model_quantized.onnx')) && statSync(dir).isDirectory();
}

/** Pure apart from existence checks: where the model comes from, or undefined when it cannot be had. */
export function resolveModel(opts: EmbedderOptions): Resolved | undefined {
  const model = opts.model ?? DEFAULT_MODEL_NAME;
  const looksLikePath = isAbsolute(model) || model.startsWith('.');
  if (looksLikePath) {
    const dir = resolve(model);
    return isModelDir(dir) ? { localModelPath: dirname(dir), name: basename(dir), remote: false, dir } : undefined;
  }
  // The hub only knows namespaced ids; the bare default is published under Xenova/.
  const id = model.includes('/') ? model : `Xenova/${model}`;
  // `<modelsDir>/<id>` is also where an earlier download was cached: offline later, it is local.
  for (const name of [model, id]) {
    if (isModelDir(join(opts.modelsDir, name))) return { localModelPath: opts.modelsDir, name, remote: false };
  }
  if (opts.allowNetwork !== true) return undefined;
  return { localModelPath: opts.modelsDir, name: id, remote: true };
}

type Extractor = (text: string, opts: { pooling: Pooling; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;

/** Loads the model now; undefined (never a throw) when it cannot be loaded, so search falls back to lexical. */
export async function loadEmbedder(opts: EmbedderOptions): Promise<{ embedder?: Embedder; reason?: string }> {
  const where = resolveModel(opts);
  if (where === undefined) {
    return { reason: `no embedding model found (${opts.model ?? join(opts.modelsDir, DEFAULT_MODEL_NAME)}) and downloads are off` };
  }
  try {
    // A download has no folder yet: it is a hub copy of the default, whose ways are MiniLM's.
    const settings: ModelSettings = where.remote ? DEFAULT_SETTINGS : readModelSettings(join(where.localModelPath, where.name));
    // Dynamic: onnxruntime and the tokenizer cost ~250 MB, paid only by a process that searches.
    const { pipeline, env } = await import('@huggingface/transformers');
    env.localModelPath = where.localModelPath;
    env.allowLocalModels = true;
    env.allowRemoteModels = where.remote;
    env.cacheDir = opts.modelsDir;
    // A local model is read from its folder only: the download cache could hold another model of the same name.
    env.useFSCache = where.remote;
    const extractor = (await pipeline('feature-extraction', where.name, {
      dtype: 'q8',
      // One intra-op thread: as fast as two for one short sentence on 2 cores (8.6 vs 9.4 ms p50), and
      // leaves a core to the server. ORT threads busy-wait by default, which slows every other session.
      session_options: { intraOpNumThreads: 1, extra: { session: { intra_op: { allow_spinning: '0' } } } },
    })) as unknown as Extractor;
    const id = embedderId(where);
    const embed = async (text: string): Promise<Float32Array> => {
      // The tokenizer cuts at 256 tokens anyway; cutting the characters first keeps a huge query cheap.
      const out = await extractor(truncateQuery(text), { pooling: settings.pooling, normalize: true });
      return Float32Array.from(out.data);
    };
    // The model says its width by what it returns (MiniLM 384, mpnet-base 768): one embedding at load.
    const dim = (await embed('dimension probe')).length;
    // Fitted to this model's query vectors only; another model (WASSETTE_EMBED_MODEL), or a folder of the
    // adapter's model name whose vectors are another width, gets none.
    const adapter = adapterFitting(loadQueryAdapter(where.name, opts.adapterDir ?? MODEL_FILES_DIR), dim);
    const { queryPrefix } = settings;
    const queryVector = queryPrefix === '' ? embed : (text: string) => embed(queryPrefix + text);
    const embedQuery = adapter === undefined ? queryVector : async (text: string) => adaptQuery(adapter, await queryVector(text));
    const embedder: Embedder = {
      // Document vectors do not depend on the adapter or the query prompt, so neither is part of the id (no re-embedding).
      id,
      dim,
      embed,
      ...(embedQuery === embed ? {} : { embedQuery }),
    };
    return { embedder };
  } catch (e) {
    return { reason: `embedding model ${where.name} failed to load: ${(e as Error).message}` };
  }
}

/**
 * Loads once, on the first `get()`; concurrent callers share the one load. A failure is reported
 * through `onUnavailable` exactly once and then remembered, so every later search is lexical at no cost.
 */
export class LazyEmbedder {
  readonly #load: () => Promise<{ embedder?: Embedder; reason?: string }>;
  readonly #onUnavailable: (reason: string) => void;
  #pending: Promise<Embedder | undefined> | undefined;

  constructor(load: EmbedderOptions | (() => Promise<{ embedder?: Embedder; reason?: string }>), onUnavailable: (reason: string) => void) {
    this.#load = typeof load === 'function' ? load : () => loadEmbedder(load);
    this.#onUnavailable = onUnavailable;
  }

  get(): Promise<Embedder | undefined> {
    this.#pending ??= this.#load().then(({ embedder, reason }) => {
      if (embedder === undefined) this.#onUnavailable(reason ?? 'embedding model unavailable');
      return embedder;
    });
    return this.#pending;
  }
}
