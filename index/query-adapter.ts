// A learned linear map applied to query embeddings only (document vectors stay as the model made them), trained
// on public function-calling data by scripts/train-query-adapter.ts. The file is W row-major, float32 little-endian.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class QueryAdapterError extends Error {
  constructor(
    readonly code: 'adapter-size' | 'adapter-checksum' | 'adapter-manifest',
    message: string,
  ) {
    super(message);
    this.name = 'QueryAdapterError';
  }
}

/** What index/model-files/query-adapter.json says about the committed adapter. */
export interface AdapterManifest {
  /** The base model whose query vectors it maps (the models it fits: `all-MiniLM-L6-v2` and `Xenova/all-MiniLM-L6-v2`). */
  readonly model: string;
  readonly dim: number;
  readonly file: string;
  readonly sha256: string;
}

export interface QueryAdapter {
  readonly dim: number;
  readonly sha256: string;
  /** W row-major. */
  readonly weights: Float32Array;
}

// index/ in the sources, dist/index/ when built: the data files stay in the source tree's index/model-files.
export const MODEL_FILES_DIR = [resolve(import.meta.dirname, 'model-files'), resolve(import.meta.dirname, '..', '..', 'index', 'model-files')].find((d) =>
  existsSync(join(d, 'query-adapter.json')),
);

/** Pure: checks size and checksum of the bytes against the manifest. */
export function parseQueryAdapter(bytes: Uint8Array, manifest: AdapterManifest): QueryAdapter {
  const { dim } = manifest;
  if (!Number.isInteger(dim) || dim <= 0) throw new QueryAdapterError('adapter-manifest', `query adapter: bad dim ${String(dim)}`);
  if (bytes.byteLength !== dim * dim * 4) {
    throw new QueryAdapterError('adapter-size', `query adapter: ${bytes.byteLength} bytes, expected ${dim * dim * 4} (${dim}x${dim} float32)`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== manifest.sha256) throw new QueryAdapterError('adapter-checksum', `query adapter: sha256 ${sha256}, manifest says ${manifest.sha256}`);
  const weights = new Float32Array(dim * dim);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < weights.length; i++) weights[i] = view.getFloat32(i * 4, true);
  return { dim, sha256, weights };
}

/** The committed adapter for `modelName`, or undefined when none fits that model. Throws on a damaged file. */
export function loadQueryAdapter(modelName: string, dir: string | undefined = MODEL_FILES_DIR): QueryAdapter | undefined {
  if (dir === undefined) return undefined;
  const manifest = JSON.parse(readFileSync(join(dir, 'query-adapter.json'), 'utf8')) as AdapterManifest;
  const base = modelName.split('/').pop();
  if (base !== manifest.model) return undefined;
  return parseQueryAdapter(readFileSync(join(dir, manifest.file)), manifest);
}

/** Pure: the adapter when it maps vectors of the model's width, else none (a 384x384 map cannot take 768-d vectors). */
export function adapterFitting(adapter: QueryAdapter | undefined, modelDim: number): QueryAdapter | undefined {
  return adapter !== undefined && adapter.dim === modelDim ? adapter : undefined;
}

/** Pure: W q, back to unit length (cosine search expects it). */
export function adaptQuery(adapter: QueryAdapter, q: Float32Array): Float32Array {
  const { dim, weights } = adapter;
  if (q.length !== dim) throw new QueryAdapterError('adapter-size', `query adapter: vector of ${q.length}, expected ${dim}`);
  const out = new Float32Array(dim);
  let norm = 0;
  for (let r = 0; r < dim; r++) {
    let s = 0;
    const o = r * dim;
    for (let c = 0; c < dim; c++) s += (weights[o + c] ?? 0) * (q[c] ?? 0);
    out[r] = s;
    norm += s * s;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let r = 0; r < dim; r++) out[r] = (out[r] ?? 0) / norm;
  return out;
}
