// Query-embedding latency of several model folders in one process, interleaved query by query (each model embeds
// the same query back to back, the order rotating), so load on the box hits them alike. Real MetaTool dev queries.
// Usage: npx tsx scripts/fetch-mpnet/latency.ts <model folder>... [--queries N]   (default 400 after 20 warm-up)
import { loadavg } from 'node:os';
import { loadMetaTool } from '../../bench/eval-data.js';
import { percentile } from '../../bench/eval-metrics.js';
import { METATOOL_DIR, MODELS_DIR, evalQueries } from '../../bench/eval-search.js';
import { type Embedder, loadEmbedder } from '../../index/embedder.js';

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const qi = args.indexOf('--queries');
  const n = qi >= 0 ? Number(args[qi + 1]) : 400;
  const folders = qi >= 0 ? args.filter((_, i) => i !== qi && i !== qi + 1) : args;
  const models: { name: string; e: Embedder; ms: number[] }[] = [];
  for (const f of folders) {
    const t0 = performance.now();
    const { embedder, reason } = await loadEmbedder({ model: f, modelsDir: MODELS_DIR });
    if (embedder === undefined) throw new Error(`${f}: ${reason}`);
    console.log(
      `${f}: dim ${embedder.dim}, loaded in ${(performance.now() - t0).toFixed(0)} ms, RSS now ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    );
    models.push({ name: f, e: embedder, ms: [] });
  }
  const queries = evalQueries(loadMetaTool(METATOOL_DIR)).dev.map((q) => q.query);
  console.log(`load average at start (1/5/15 min): ${load()}`);
  for (let i = 0; i < 20; i++) for (const m of models) await m.e.embed(queries[i] ?? 'warm up');
  for (let i = 0; i < n; i++) {
    const q = queries[(20 + i) % queries.length] ?? '';
    for (let k = 0; k < models.length; k++) {
      const m = models[(i + k) % models.length];
      if (m === undefined) continue;
      const t0 = performance.now();
      await (m.e.embedQuery ?? m.e.embed)(q);
      m.ms.push(performance.now() - t0);
    }
  }
  console.log(`load average at end (1/5/15 min): ${load()}\n\n| model | queries | p50 ms | p90 ms | p99 ms |\n|---|---|---|---|---|`);
  for (const m of models) {
    const p = (x: number) => percentile(m.ms, x).toFixed(1);
    console.log(`| ${m.name}${m.e.embedQuery === undefined ? '' : ' (+ query adapter)'} | ${m.ms.length} | ${p(50)} | ${p(90)} | ${p(99)} |`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
