// `npm run eval:search`: MetaTool through the same path as search_tools (tools/list import -> ToolIndex.search), appended to RESULTS.md.
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Embedder } from '../index/embedder.js';
import { loadEmbedder } from '../index/embedder.js';
import { readToolsList } from '../index/import-tools-list.js';
import type { Ranking } from '../index/search.js';
import { ToolIndex, type ToolIndexOptions } from '../index/tool-index.js';
import { type MetaToolSet, loadMetaTool, seededSplits } from './eval-data.js';
import { OWN_QUERIES, OWN_SOURCES } from './eval-own-set.js';
import { type Judged, METRICS_HEADER, type Metrics, metricsRow, score } from './eval-metrics.js';
import { machineSummary } from './run.js';

const ROOT = resolve(import.meta.dirname, '..');
// shared/ sits beside the repo (`../shared`); a git worktree one level deeper looks one more up.
export const METATOOL_DIR =
  process.env.METATOOL_DIR ??
  [resolve(ROOT, '..', 'shared'), resolve(ROOT, '..', '..', 'shared')].map((d) => join(d, 'eval', 'metatool')).find((d) => existsSync(d)) ??
  resolve(ROOT, '..', 'shared', 'eval', 'metatool');
export const MODELS_DIR = process.env.WASSETTE_EMBED_MODEL_DIR ?? join(ROOT, 'fixtures', 'build', 'models');
export const SAMPLE = 1000;
export const SEED = 9;

/** Loads the real model once; the eval fails rather than quietly measuring lexical as "hybrid". */
export async function realEmbedder(): Promise<Embedder> {
  const { embedder, reason } = await loadEmbedder({ model: process.env.WASSETTE_EMBED_MODEL, modelsDir: MODELS_DIR });
  if (embedder === undefined) throw new Error(`${reason}; run scripts/fetch-embed-model.sh first`);
  return embedder;
}

export async function buildIndex(
  set: MetaToolSet,
  embedder: Embedder,
  opts: Partial<ToolIndexOptions> = {},
): Promise<{ index: ToolIndex; dir: string; buildMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wassette-eval-index-'));
  const index = ToolIndex.open(join(dir, 'index.db'), { ...opts, embedder: async () => embedder });
  const t0 = performance.now();
  await index.replaceSource(readToolsList(set.toolsListPath));
  return { index, dir, buildMs: performance.now() - t0 };
}

export async function judge(index: ToolIndex, queries: readonly { query: string; relevant: readonly string[] }[], mode: Ranking): Promise<Judged[]> {
  const out: Judged[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const res = await index.search(q.query, 10, mode);
    const ms = performance.now() - t0;
    if (res.ranking !== mode) throw new Error(`asked for ${mode}, got ${res.ranking}`);
    out.push({ ranked: res.results.map((r) => r.name), relevant: q.relevant, ms });
  }
  return out;
}

export function evalQueries(set: MetaToolSet): {
  dev: { query: string; relevant: string[] }[];
  test: { query: string; relevant: string[] }[];
  multi: { query: string; relevant: string[] }[];
} {
  const { dev, test } = seededSplits(set.singles, SAMPLE, SEED);
  const single = (s: { query: string; tool: string }) => ({ query: s.query, relevant: [s.tool] });
  return { dev: dev.map(single), test: test.map(single), multi: set.multis.map((m) => ({ query: m.query, relevant: [...m.tools] })) };
}

/** The same model without its query adapter: the baseline the adapter is measured against. */
export function withoutAdapter(e: Embedder): Embedder {
  return { id: e.id, dim: e.dim, embed: (text) => e.embed(text) };
}

async function main(): Promise<void> {
  const write = !process.argv.includes('--no-write');
  const set = loadMetaTool(METATOOL_DIR);
  const embedder = await realEmbedder();
  if (embedder.embedQuery === undefined) throw new Error('the model loaded without its query adapter (index/model-files/query-adapter.json)');
  const { index, dir, buildMs } = await buildIndex(set, embedder);
  const { index: plain, dir: plainDir } = await buildIndex(set, withoutAdapter(embedder));
  const queries = evalQueries(set);
  // Warm-up: the first ONNX runs allocate; they are not what a serving process sees.
  for (const q of queries.dev.slice(0, 20)) await index.search(q.query, 10, 'hybrid');
  const rows: string[] = [];
  const results: Record<string, Metrics> = {};
  for (const [label, qs] of [
    ['test', queries.test],
    ['dev', queries.dev],
    ['multi', queries.multi],
  ] as const) {
    for (const [mode, ix, name] of [
      ['lexical', index, 'lexical'],
      ['dense', plain, 'dense, no query adapter'],
      ['hybrid', plain, 'hybrid, no query adapter'],
      ['dense', index, 'dense'],
      ['hybrid', index, 'hybrid'],
    ] as const) {
      const m = score(await judge(ix, qs, mode));
      results[`${label}/${name}`] = m;
      rows.push(metricsRow(`${label}: ${name}`, m));
      console.error(metricsRow(`${label}: ${name}`, m));
    }
  }
  await index.close();
  await plain.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(plainDir, { recursive: true, force: true });

  // The own set goes through replaceSource as components (component documents folded into tools).
  const ownDir = mkdtempSync(join(tmpdir(), 'wassette-eval-own-'));
  const own = ToolIndex.open(join(ownDir, 'index.db'), { embedder: async () => embedder });
  const ownPlain = ToolIndex.open(join(ownDir, 'plain.db'), { embedder: async () => withoutAdapter(embedder) });
  for (const s of OWN_SOURCES) {
    await own.replaceSource(s);
    await ownPlain.replaceSource(s);
  }
  const ownRows: string[] = [];
  for (const [mode, ix, name] of [
    ['lexical', own, 'lexical'],
    ['dense', ownPlain, 'dense, no query adapter'],
    ['hybrid', ownPlain, 'hybrid, no query adapter'],
    ['dense', own, 'dense'],
    ['hybrid', own, 'hybrid'],
  ] as const) {
    const m = score(await judge(ix, OWN_QUERIES, mode));
    ownRows.push(metricsRow(`own: ${name}`, m));
    console.error(metricsRow(`own: ${name}`, m));
  }
  await own.close();
  await ownPlain.close();
  rmSync(ownDir, { recursive: true, force: true });
  const ownTools = OWN_SOURCES.reduce((n, s) => n + s.tools.length, 0);
  const rss = process.memoryUsage().rss / 1024 ** 2;
  const section = [
    '',
    `## Tool search eval (MetaTool, ${set.toolCount} tools)`,
    '',
    machineSummary(),
    '',
    `MetaTool's plugin_des.json imported as an MCP tools/list file (name + description, no parameters), then every query through ToolIndex.search (limit 10) as search_tools runs it; real all-MiniLM-L6-v2 int8. dense and hybrid embed the query through the learned query adapter (index/model-files/query-adapter.json, trained on BFCL by scripts/train-query-adapter.sh, no MetaTool data); the no-adapter rows are the same index with the plain model.`,
    `Single-tool queries from all_clean_data.csv: one seeded shuffle (seed ${SEED}) cut into a dev sample (${SAMPLE}, used to choose methods and weights) and a disjoint test sample (${SAMPLE}, reported only).`,
    `multi: all ${queries.multi.length} queries of multi_tool_query_golden.json (two relevant tools each; Recall@5 counts both). Index build (embedding ${set.toolCount} documents, batch 1): ${(buildMs / 1000).toFixed(1)} s; RSS after the run ${rss.toFixed(0)} MiB.`,
    '',
    METRICS_HEADER,
    ...rows,
    '',
    `Own set: ${OWN_SOURCES.length} WIT-style components (${ownTools} tools, with parameter names and types, component descriptions) from test/index/tools-fixture.ts, ${OWN_QUERIES.length} requests written by the index author from the tool list (bench/eval-own-set.ts). Small: one query moves Hit@1 by ${(1 / OWN_QUERIES.length).toFixed(3)}.`,
    '',
    METRICS_HEADER,
    ...ownRows,
    '',
    `Target (single-tool): Hit@1 >= 0.60 and Hit@5 >= 0.85. Test sample hybrid: Hit@1 ${results['test/hybrid']?.hit1.toFixed(3)}, Hit@5 ${results['test/hybrid']?.hit5.toFixed(3)}.`,
    '',
  ].join('\n');
  console.log(section);
  if (write) appendFileSync(join(ROOT, 'bench', 'RESULTS.md'), section);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
