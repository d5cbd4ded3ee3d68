// search_tools latency at scale: 10,000 synthetic tools (SCALE_TOOLS overrides) through ToolIndex, real query embedding.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceInput } from '../index/documents.js';
import type { Embedder } from '../index/embedder.js';
import { DEFAULT_FUSION } from '../index/search.js';
import { IndexStore } from '../index/store.js';
import { DEFAULT_FIELD_WEIGHTS } from '../index/store-schema.js';
import { ToolIndex } from '../index/tool-index.js';
import { mulberry32 } from '../test/helpers/prng.js';
import { percentile } from './eval-metrics.js';
import { realEmbedder } from './eval-search.js';
import { runStandalone } from './standalone.js';

const VERBS = [
  'get',
  'list',
  'create',
  'delete',
  'update',
  'search',
  'convert',
  'render',
  'parse',
  'send',
  'fetch',
  'compute',
  'resize',
  'translate',
  'validate',
  'export',
];
const NOUNS = [
  'forecast',
  'invoice',
  'image',
  'email',
  'issue',
  'record',
  'playlist',
  'route',
  'ticket',
  'document',
  'user',
  'order',
  'metric',
  'calendar-event',
  'file',
  'quote',
];
const DOMAINS = [
  'weather',
  'billing',
  'photos',
  'mail',
  'github',
  'crm',
  'music',
  'maps',
  'helpdesk',
  'office',
  'accounts',
  'shop',
  'monitoring',
  'calendar',
  'storage',
  'finance',
];
const QUERIES = [
  "what's the weather in Paris",
  'send an email to my team about the outage',
  'resize this photo to 800 pixels',
  'open a github issue for the failing build',
  'find flights from Berlin to Rome next week',
  'convert the invoice PDF to text',
  'how much is a share of Apple right now',
  'list my calendar events for tomorrow',
  'create a support ticket for a broken login',
  'export monthly metrics as a spreadsheet',
  'translate the order confirmation into German',
  'delete the old user accounts',
  'search my music for jazz playlists',
  'validate the shipping address of an order',
  'compute the total of all unpaid invoices',
  'update the customer record with a new phone',
  'fetch the latest monitoring alerts',
  'parse this CSV file into records',
  'render a map route between two cities',
  'get a stock quote for Tesla',
];

const TOOLS_PER_COMPONENT = 10;

function rss(): number {
  return process.memoryUsage().rss / 1024 ** 2;
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/**
 * Document vectors: real embeddings of a few hundred distinct phrases plus seeded noise, so 10,000
 * documents are clustered like real ones without embedding each (hours at batch 1). Queries use
 * the real model: that cost is what the target is about.
 */
async function syntheticVectors(real: Embedder, rand: () => number): Promise<(text: string) => Float32Array> {
  const base: Float32Array[] = [];
  for (const d of DOMAINS) for (const v of VERBS) base.push(await real.embed(`${v} ${d} ${NOUNS[base.length % NOUNS.length]}`));
  return () => {
    const b = base[Math.floor(rand() * base.length)] as Float32Array;
    const v = b.map((x) => x + (rand() - 0.5) * 0.05);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
}

export async function run(): Promise<string> {
  const total = Number(process.env.SCALE_TOOLS ?? 10_000);
  const rand = mulberry32(42);
  const real = await realEmbedder();
  await real.embed('warm up');
  const rssModel = rss();
  const vectorFor = await syntheticVectors(real, rand);
  // While building, documents get synthetic vectors; afterwards every text (the queries) goes to the model.
  let building = true;
  const embedder: Embedder = {
    id: real.id,
    dim: real.dim,
    embed: (text) => (building ? Promise.resolve(vectorFor(text)) : real.embed(text)),
    // Queries go through the real query path (the learned query adapter included).
    ...(real.embedQuery ? { embedQuery: real.embedQuery } : {}),
  };
  const dir = mkdtempSync(join(tmpdir(), 'wassette-scale-'));
  try {
    const index = ToolIndex.open(join(dir, 'index.db'), { embedder: async () => embedder, persistIntervalMs: 60_000 });
    const t0 = performance.now();
    for (let c = 0; c * TOOLS_PER_COMPONENT < total; c++) {
      const domain = DOMAINS[c % DOMAINS.length] as string;
      const tools = Array.from({ length: TOOLS_PER_COMPONENT }, (_, i) => {
        const verb = VERBS[Math.floor(rand() * VERBS.length)] as string;
        const noun = NOUNS[Math.floor(rand() * NOUNS.length)] as string;
        return {
          name: `${verb}-${noun}-${c}-${i}`,
          description: `${verb} a ${noun} in the ${domain} service number ${c}`,
          params: [{ name: `${noun}-id`, type: 'string' }],
        };
      });
      const input: SourceInput = {
        source: `oci://bench/${domain}-${c}:1`,
        kind: 'component',
        ref: `oci://bench/${domain}-${c}@sha256:${String(c).padStart(64, '0')}`,
        name: `${domain}-${c}`,
        description: `${domain} tools`,
        tools,
      };
      await index.replaceSource(input);
    }
    await index.flush();
    building = false;
    const buildS = (performance.now() - t0) / 1000;
    const stats = await index.stats();
    const rssIndexed = rss();
    for (const q of QUERIES) await index.search(q, 5);
    const times: number[] = [];
    const lexTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      // No cache exists on the path, so repeating the 20 queries measures the same work as new ones.
      const q = QUERIES[i % QUERIES.length] as string;
      let s = performance.now();
      const res = await index.search(q, 5);
      times.push(performance.now() - s);
      if (res.ranking !== 'hybrid') throw new Error('expected hybrid ranking');
      s = performance.now();
      await index.search(q, 5, 'lexical');
      lexTimes.push(performance.now() - s);
    }
    const embedTimes: number[] = [];
    for (let i = 0; i < 100; i++) {
      const s = performance.now();
      const q = QUERIES[i % QUERIES.length] as string;
      // The query path: the model plus the query adapter, as search embeds it.
      await (real.embedQuery === undefined ? real.embed(q) : real.embedQuery(q));
      embedTimes.push(performance.now() - s);
    }
    await index.close();
    const disk = dirBytes(dir) / 1024 ** 2;
    const hnsw = statSync(join(dir, 'index.hnsw')).size / 1024 ** 2;
    // The lexical ranker alone, A/B in this process, alternating query by query (a loaded box shifts whole runs):
    // scoring only the documents that can reach the top 50 (what search does) vs ranking every match.
    const pruned = new IndexStore(join(dir, 'index.db'));
    const exhaustive = new IndexStore(join(dir, 'index.db'), DEFAULT_FIELD_WEIGHTS, { pruneLexical: false });
    const prunedTimes: number[] = [];
    const exhaustiveTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const q = QUERIES[i % QUERIES.length] as string;
      let s = performance.now();
      const a = pruned.lexical(q, DEFAULT_FUSION.candidates);
      prunedTimes.push(performance.now() - s);
      s = performance.now();
      const b = exhaustive.lexical(q, DEFAULT_FUSION.candidates);
      exhaustiveTimes.push(performance.now() - s);
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`pruned lexical ranking differs for ${q}`);
    }
    const plans = pruned.lexicalPlans;
    pruned.close();
    exhaustive.close();
    const p50 = percentile(times, 50);
    const target = total === 10_000 ? 15 : total === 100_000 ? 30 : undefined;
    return [
      `## Tool search at scale (${stats.documents} documents: ${total} tools in ${total / TOOLS_PER_COMPONENT} components + their component documents)`,
      '',
      'ToolIndex.search(query, 5), hybrid, 200 queries after warm-up, on 2 cores. Each query is embedded by the real all-MiniLM-L6-v2 int8 model;',
      'document vectors are real embeddings of 256 distinct phrases plus seeded noise (embedding every document one by one, at 40-150 a second, would take minutes to hours).',
      '',
      '| measure | value |',
      '|---|---|',
      `| search p50 / p99 (hybrid, incl. query embedding) | ${p50.toFixed(1)} ms / ${percentile(times, 99).toFixed(1)} ms |`,
      `| query embedding alone p50 / p99 | ${percentile(embedTimes, 50).toFixed(1)} ms / ${percentile(embedTimes, 99).toFixed(1)} ms |`,
      `| lexical search p50 / p99 | ${percentile(lexTimes, 50).toFixed(1)} ms / ${percentile(lexTimes, 99).toFixed(1)} ms |`,
      `| FTS5 top 50 alone, pruned / every match ranked (alternating; same results), p50 | ${percentile(prunedTimes, 50).toFixed(1)} ms / ${percentile(exhaustiveTimes, 50).toFixed(1)} ms |`,
      `| the same, p99 | ${percentile(prunedTimes, 99).toFixed(1)} ms / ${percentile(exhaustiveTimes, 99).toFixed(1)} ms |`,
      `| how the 200 were answered: every match ranked / the terms' intersection / a pruned set | ${plans.all} / ${plans.intersection} / ${plans.pruned} |`,
      `| index build (SQLite + FTS5 + HNSW, vectors given) | ${buildS.toFixed(1)} s |`,
      `| disk: index.db + WAL + index.hnsw | ${disk.toFixed(1)} MiB (hnsw ${hnsw.toFixed(1)} MiB) |`,
      `| RSS with the model loaded, empty index | ${rssModel.toFixed(0)} MiB |`,
      `| RSS with the index built (index memory: the difference) | ${rssIndexed.toFixed(0)} MiB (+${(rssIndexed - rssModel).toFixed(0)} MiB) |`,
      '',
      target === undefined
        ? 'No target at this size.'
        : `Target: p50 under ${target} ms with ${total} tools: ${p50 < target ? 'met' : 'NOT met'} (${p50.toFixed(1)} ms).`,
      '',
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runStandalone(import.meta.url, run);
