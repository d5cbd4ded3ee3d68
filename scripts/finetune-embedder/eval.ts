// MetaTool eval of an embedding model folder (WASSETTE_EMBED_MODEL=<dir>), with no query adapter unless the
// folder's name is the adapter's model. Dev sample by default; `--test` adds the test sample (report only).
// Usage: WASSETTE_EMBED_MODEL=/path/to/<name> npx tsx scripts/finetune-embedder/eval.ts [--test]
import { rmSync } from 'node:fs';
import { loadMetaTool } from '../../bench/eval-data.js';
import { score, metricsRow, METRICS_HEADER } from '../../bench/eval-metrics.js';
import { METATOOL_DIR, buildIndex, evalQueries, judge, realEmbedder } from '../../bench/eval-search.js';
import { machineSummary } from '../../bench/run.js';

async function main(): Promise<void> {
  const set = loadMetaTool(METATOOL_DIR);
  const embedder = await realEmbedder();
  const { index, dir, buildMs } = await buildIndex(set, embedder);
  const queries = evalQueries(set);
  for (const q of queries.dev.slice(0, 20)) await index.search(q.query, 10, 'hybrid');
  const samples: [string, { query: string; relevant: string[] }[]][] = [['dev', queries.dev]];
  if (process.argv.includes('--test')) samples.push(['test', queries.test]);
  const adapter = embedder.embedQuery === undefined ? 'no query adapter' : 'query adapter';
  console.log(machineSummary());
  console.log(`model ${embedder.id}, ${adapter}; index build ${(buildMs / 1000).toFixed(1)} s\n\n${METRICS_HEADER}`);
  for (const [label, qs] of samples) {
    for (const mode of ['dense', 'hybrid'] as const) console.log(metricsRow(`${label}: ${mode}`, score(await judge(index, qs, mode))));
  }
  await index.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
