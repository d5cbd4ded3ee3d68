// Dev-only probe: MiniLM (with its query adapter) and all-mpnet-base-v2 as one embedder. Each text's vector is
// [sqrt(w) a, sqrt(1-w) b] for the two models' unit vectors a, b, so the index's cosine is exactly
// w cos_MiniLM + (1-w) cos_mpnet, through the unchanged ToolIndex path (dense, and hybrid at the shipped 0.8).
// Usage: MPNET=/work/models/all-mpnet-base-v2 npx tsx scripts/fetch-mpnet/ensemble-eval.ts   env: ENSEMBLE_W (0.3,0.5,0.7)
import { rmSync } from 'node:fs';
import { loadMetaTool } from '../../bench/eval-data.js';
import { METRICS_HEADER, metricsRow, score } from '../../bench/eval-metrics.js';
import { METATOOL_DIR, MODELS_DIR, buildIndex, evalQueries, judge } from '../../bench/eval-search.js';
import { machineSummary } from '../../bench/run.js';
import { type Embedder, loadEmbedder } from '../../index/embedder.js';

async function need(model: string | undefined): Promise<Embedder> {
  const { embedder, reason } = await loadEmbedder({ model, modelsDir: MODELS_DIR });
  if (embedder === undefined) throw new Error(String(reason));
  return embedder;
}

function memo(f: (t: string) => Promise<Float32Array>): (t: string) => Promise<Float32Array> {
  const m = new Map<string, Float32Array>();
  return async (t) => {
    let v = m.get(t);
    if (v === undefined) {
      v = await f(t);
      m.set(t, v);
    }
    return v;
  };
}

function concat(a: Float32Array, b: Float32Array, w: number): Float32Array {
  const out = new Float32Array(a.length + b.length);
  const wa = Math.sqrt(w);
  const wb = Math.sqrt(1 - w);
  a.forEach((x, i) => {
    out[i] = wa * x;
  });
  b.forEach((x, i) => {
    out[a.length + i] = wb * x;
  });
  return out;
}

async function main(): Promise<void> {
  const minilm = await need(undefined);
  const mpnet = await need(process.env.MPNET);
  const [aDoc, aQuery, bText] = [memo((t) => minilm.embed(t)), memo((t) => (minilm.embedQuery ?? minilm.embed)(t)), memo((t) => mpnet.embed(t))];
  const set = loadMetaTool(METATOOL_DIR);
  const { dev } = evalQueries(set);
  console.log(`${machineSummary()}\nMiniLM ${minilm.id} (${minilm.embedQuery === undefined ? 'no' : 'with'} query adapter) + ${mpnet.id}\n\n${METRICS_HEADER}`);
  for (const w of (process.env.ENSEMBLE_W ?? '0.3,0.5,0.7').split(',').map(Number)) {
    const embedder: Embedder = {
      id: `ensemble:${w}`,
      dim: minilm.dim + mpnet.dim,
      embed: async (t) => concat(await aDoc(t), await bText(t), w),
      embedQuery: async (t) => concat(await aQuery(t), await bText(t), w),
    };
    const { index, dir } = await buildIndex(set, embedder);
    for (const mode of ['dense', 'hybrid'] as const) console.log(metricsRow(`dev: ${mode}, w_MiniLM ${w}`, score(await judge(index, dev, mode))));
    await index.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
