import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEmbedder } from '../../index/embedder.js';
import {
  type AdapterManifest,
  MODEL_FILES_DIR,
  QueryAdapterError,
  adaptQuery,
  adapterFitting,
  loadQueryAdapter,
  parseQueryAdapter,
} from '../../index/query-adapter.js';
import { bfclPairs, parseJsonLines } from '../../scripts/query-adapter/bfcl-pairs.js';
import { trainQueryAdapter } from '../../scripts/query-adapter/train.js';
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

describe('an adapter of another width than the model', () => {
  it('adapterFitting keeps an adapter only for vectors of its width', () => {
    const bytes = bytesOf(Float32Array.from([1, 0, 0, 1]));
    const a = parseQueryAdapter(bytes, manifestFor(bytes, 2));
    expect(adapterFitting(a, 2)).toBe(a);
    expect(adapterFitting(a, 768)).toBeUndefined();
    expect(adapterFitting(undefined, 2)).toBeUndefined();
  });

  it('is not applied by the real model (384-d) even when its manifest names that model', async () => {
    // A 768x768 adapter for `all-MiniLM-L6-v2`, as a 768-d model folder of that name would meet the committed 384 one:
    // applied, every search would throw adapter-size.
    const dim = 768;
    const w = new Float32Array(dim * dim);
    for (let i = 0; i < dim; i++) w[i * dim + i] = 1;
    const bytes = bytesOf(w);
    const adapterDir = tempDir();
    writeFileSync(join(adapterDir, 'query-adapter.f32'), bytes);
    writeFileSync(join(adapterDir, 'query-adapter.json'), JSON.stringify(manifestFor(bytes, dim)));
    expect(loadQueryAdapter('all-MiniLM-L6-v2', adapterDir)?.dim).toBe(dim);
    const { embedder, reason } = await loadEmbedder({ modelsDir: requireModel(), adapterDir });
    expect(reason).toBeUndefined();
    expect(embedder?.dim).toBe(384);
    expect(embedder?.embedQuery).toBeUndefined();
    // The same model with the committed (384) adapter does get it.
    expect((await loadEmbedder({ modelsDir: requireModel() })).embedder?.embedQuery).toBeDefined();
  }, 60_000);
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

describe('training data and trainer (scripts/query-adapter)', () => {
  it('bfclPairs keeps single-turn questions whose calls name one offered function', () => {
    const fn = (name: string) => ({
      name,
      description: `${name} things`,
      parameters: { type: 'dict', properties: { city: { type: 'string', description: 'a city' } } },
    });
    const questions = [
      {
        id: 'a',
        question: [
          [
            { role: 'system', content: 'be brief' },
            { role: 'user', content: 'weather in Paris?' },
          ],
        ],
        function: [fn('get_weather'), fn('get_time')],
      },
      { id: 'b', question: [[{ role: 'user', content: 'two things' }]], function: [fn('x'), fn('y')] },
      { id: 'c', question: [[{ role: 'user', content: 'unknown answer' }]], function: [fn('x')] },
      { id: 'd', question: [[{ role: 'user', content: 'turn 1' }], [{ role: 'user', content: 'turn 2' }]], function: [fn('x')] },
    ];
    const answers = [
      { id: 'a', ground_truth: [{ get_weather: { city: ['Paris'] } }, { get_weather: { city: ['Lyon'] } }] },
      { id: 'b', ground_truth: [{ x: {} }, { y: {} }] },
      { id: 'c', ground_truth: [{ z: {} }] },
      { id: 'd', ground_truth: [{ x: {} }] },
    ];
    const pairs = bfclPairs(questions, answers);
    expect(pairs.map((p) => p.id)).toEqual(['a']);
    expect(pairs[0]?.query).toBe('weather in Paris?');
    expect(pairs[0]?.positive).toEqual({
      name: 'get_weather',
      description: 'get_weather things',
      params: [{ name: 'city', type: 'string', description: 'a city' }],
    });
    expect(pairs[0]?.negatives.map((n) => n.name)).toEqual(['get_time']);
    expect(parseJsonLines('{"a":1}\n\n{"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('trainQueryAdapter is seeded and learns a map that ranks the positives first', () => {
    // Queries are their documents rotated in the first plane: the identity ranks some wrongly, a learned W fixes it.
    const dim = 4;
    const docs = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [Math.SQRT1_2, Math.SQRT1_2, 0, 0],
      [0, 0, 1, 0],
    ];
    const rot = (v: number[]) => [0.55 * (v[0] ?? 0) - 0.835 * (v[1] ?? 0), 0.835 * (v[0] ?? 0) + 0.55 * (v[1] ?? 0), v[2] ?? 0, v[3] ?? 0];
    const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
    const rows = [...docs.map(unit), ...docs.map((d) => unit(rot(d)))];
    const vectors = Float32Array.from(rows.flat());
    const examples = docs.map((_, i) => ({ query: docs.length + i, positive: i, negatives: docs.map((_, j) => j).filter((j) => j !== i) }));
    const rank = (w: Float32Array) =>
      examples.filter((e) => {
        const q = adaptQuery({ dim, sha256: '', weights: w }, vectors.subarray(e.query * dim, e.query * dim + dim));
        const s = docs.map((_, j) => dot(q, vectors.subarray(j * dim, j * dim + dim)));
        return s.indexOf(Math.max(...s)) === e.positive;
      }).length;
    const identity = Float32Array.from({ length: dim * dim }, (_, k) => (k % (dim + 1) === 0 ? 1 : 0));
    const opts = { dim, epochs: 200, batch: 4, tau: 0.1, lambda: 0.001, lr: 0.02, seed: 3 };
    const w = trainQueryAdapter(vectors, examples, opts);
    expect(rank(identity)).toBeLessThan(4);
    expect(rank(w)).toBe(4);
    expect(Array.from(trainQueryAdapter(vectors, examples, opts))).toEqual(Array.from(w));
  });
});
