// MetaTool dev sample through ToolIndex.search for one model folder (WASSETTE_EMBED_MODEL=<dir>): dense, and hybrid
// at several dense weights (the shipped field weights), with each text embedded once (same vectors as the product).
// `--test` adds the test sample at the shipped 0.8 only (report only, never to choose).
// Usage: WASSETTE_EMBED_MODEL=/work/models/all-mpnet-base-v2 npx tsx scripts/fetch-mpnet/eval.ts [--test]
// env: SWEEP_DENSE (default 0.6,0.7,0.8,0.9).
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { loadMetaTool } from '../../bench/eval-data.js';
import { METRICS_HEADER, metricsRow, score } from '../../bench/eval-metrics.js';
import { METATOOL_DIR, buildIndex, evalQueries, judge, realEmbedder } from '../../bench/eval-search.js';
import { machineSummary } from '../../bench/run.js';
import { cachedEmbedder } from '../../bench/cached-embedder.js';

async function main(): Promise<void> {
  const set = loadMetaTool(METATOOL_DIR);
  const real = await realEmbedder();
  const embedder = cachedEmbedder(real);
  const queries = evalQueries(set);
  const weights = (process.env.SWEEP_DENSE ?? '0.6,0.7,0.8,0.9').split(',').map(Number);
  console.log(machineSummary());
  console.log(`model ${real.id}, dim ${real.dim}, ${real.embedQuery === undefined ? 'no query adapter' : 'query adapter'}\n\n${METRICS_HEADER}`);
  const { index, dir, buildMs } = await buildIndex(set, embedder);
  // First pass pays for each query's embedding: its latencies are the real ones (dense path).
  console.log(metricsRow('dev: dense', score(await judge(index, queries.dev, 'dense'))));
  await index.close();
  rmSync(dir, { recursive: true, force: true });
  for (const denseWeight of weights) {
    const { index: ix, dir: d } = await buildIndex(set, embedder, { fusion: { denseWeight } });
    console.log(metricsRow(`dev: hybrid ${denseWeight} dense (cached query vectors)`, score(await judge(ix, queries.dev, 'hybrid'))));
    await ix.close();
    rmSync(d, { recursive: true, force: true });
  }
  if (process.argv.includes('--test')) {
    const { index: ix, dir: d } = await buildIndex(set, embedder);
    for (const mode of ['dense', 'hybrid'] as const) console.log(metricsRow(`test: ${mode}`, score(await judge(ix, queries.test, mode))));
    await ix.close();
    rmSync(d, { recursive: true, force: true });
  }
  console.log(
    `\nindex build (199 documents, batch 1): ${(buildMs / 1000).toFixed(1)} s; load average at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
