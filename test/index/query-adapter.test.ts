import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEmbedder } from '../../index/embedder.js';
import { type AdapterManifest, MODEL_FILES_DIR, QueryAdapterError, adaptQuery, loadQueryAdapter, parseQueryAdapter } from '../../index/query-adapter.js';
import { fakeEmbedder, requireModel, tempDir } from './helpers.js';
import { searchIndex } from '../../index/search.js';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

function bytesOf(w: Float32Array): Buffer {
  const b = Buffer.alloc(w.length * 4);
  for (let i = 0; i < w.length; i++) b.writeFloatLE(w[i] ?? 0, i * 4);
  return b;
}

function manifestFor(bytes: Buffer, dim: number): AdapterManifest {
  return { model: 'all-MiniLM-L6-v2', dim, file: 'query-adapter.f32', sha256: createHash('sha256').update(bytes).digest('hex') };
}

describe('parseQueryAdapter / adaptQuery', () => {
  it('applies W and returns a unit vector', () => {
    // Swaps the two axes and doubles the first: [1, 0] -> [0, 2] -> [0, 1].
    const bytes = bytesOf(Float32Array.from([0, 1, 2, 0]));
    const a = parseQueryAdapter(bytes, manifestFor(bytes, 2));
    expect(Array.from(adaptQuery(a, Float32Array.from([1, 0])))).toEqual([0, 1]);
    const v = adaptQuery(a, Float32Array.from([0.6, 0.8]));
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    expect(v[0]).toBeCloseTo(0.8 / Math.hypot(0.8, 1.2), 6);
    expect(() => adaptQuery(a, new Float32Array(3))).toThrow(QueryAdapterError);
  });

  it('refuses a file of the wrong size or checksum', () => {
    const bytes = bytesOf(Float32Array.from([1, 0, 0, 1]));
    expect(() => parseQueryAdapter(bytes.subarray(0, 12), manifestFor(bytes, 2))).toThrow(/expected 16/);
    const bad = Buffer.from(bytes);
    bad[0] = 7;
    expect(() => parseQueryAdapter(bad, manifestFor(bytes, 2))).toThrow(/sha256/);
  });

  it('fits only the model it was trained for', () => {
    const dir = tempDir();
    const bytes = bytesOf(Float32Array.from([1, 0, 0, 1]));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'query-adapter.f32'), bytes);
    writeFileSync(join(dir, 'query-adapter.json'), JSON.stringify(manifestFor(bytes, 2)));
    expect(loadQueryAdapter('Xenova/all-MiniLM-L6-v2', dir)?.dim).toBe(2);
    expect(loadQueryAdapter('org/other-model', dir)).toBeUndefined();
  });
});

describe('the committed adapter', () => {
  it('is a 384x384 map matching its manifest checksum, close to the identity but not it', () => {
    const a = loadQueryAdapter('all-MiniLM-L6-v2');
    if (a === undefined) throw new Error(`no query adapter in ${String(MODEL_FILES_DIR)}`);
    expect(a.dim).toBe(384);
    const manifest = JSON.parse(readFileSync(join(MODEL_FILES_DIR ?? '', 'query-adapter.json'), 'utf8')) as AdapterManifest;
    expect(a.sha256).toBe(manifest.sha256);
    let diag = 0;
    let off = 0;
    for (let r = 0; r < 384; r++)
      for (let c = 0; c < 384; c++) r === c ? (diag += a.weights[r * 384 + c] ?? 0) : (off += Math.abs(a.weights[r * 384 + c] ?? 0));
    expect(diag / 384).toBeGreaterThan(0.5);
    expect(off).toBeGreaterThan(1);
  });

  it('the real model embeds search queries through it, documents without it', async () => {
    const { embedder } = await loadEmbedder({ modelsDir: requireModel() });
    if (embedder?.embedQuery === undefined) throw new Error('real model loaded without its query adapter');
    const text = 'find the weather forecast for tomorrow';
    const plain = await embedder.embed(text);
    const q = await embedder.embedQuery(text);
    expect(Math.hypot(...q)).toBeCloseTo(1, 4);
    const sim = dot(plain, q);
    // Moved, but still the same meaning.
    expect(sim).toBeLessThan(0.999);
    expect(sim).toBeGreaterThan(0.7);
  });
});

describe('searchIndex', () => {
  it('embeds the query with embedQuery when the embedder has one', async () => {
    const fake = fakeEmbedder();
    const seen: string[] = [];
    const embedder = {
      ...fake,
      embed: fake.embed,
      embedQuery: async (t: string) => {
        seen.push(t);
        return fake.embed(t);
      },
    };
    const store = { lexical: () => [], embeddingsOf: () => [], kinds: () => new Map(), toolIds: () => [], documents: () => new Map() };
    const vectors = { search: () => [] };
    await searchIndex(
      { store: store as never, dense: { embedder, vectors: vectors as never }, fusion: { denseWeight: 0.8, candidates: 50, componentWeight: 0.3 } },
      'hello',
      5,
      'dense',
    );
    expect(seen).toEqual(['hello']);
  });
});
