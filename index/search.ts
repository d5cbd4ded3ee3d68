// Hybrid ranking: dense cosine (HNSW) fused with FTS5 bm25, each min-max normalised over the query's candidates.
import type { Embedder } from './embedder.js';
import type { IndexStore } from './store.js';
import type { StoredDocument } from './store-schema.js';
import type { VectorIndex } from './vectors.js';

export type Ranking = 'hybrid' | 'lexical' | 'dense';

export interface SearchResult {
  /** As its component or MCP server names it. */
  readonly name: string;
  readonly source: string;
  readonly description: string;
  /** What load_tool takes. */
  readonly ref: string;
  readonly score: number;
  readonly kind: 'tool' | 'component';
  readonly permissions?: unknown;
  readonly signature?: unknown;
}

export interface SearchResponse {
  readonly ranking: Ranking;
  readonly results: SearchResult[];
}

export interface FusionOptions {
  /** Weight of the dense signal; the lexical one gets the rest. */
  readonly denseWeight: number;
  /** Candidates taken from each ranker before fusion. */
  readonly candidates: number;
  /** Share of a tool's score that comes from its component's document (tool-to-agent retrieval). */
  readonly componentWeight: number;
}

// Chosen on the MetaTool dev sample (bench/eval-sweep.ts): 0.7-0.8 tie on Hit@5, 0.8 is better on Hit@1.
export const DEFAULT_FUSION: FusionOptions = { denseWeight: 0.8, candidates: 50, componentWeight: 0.3 };

// Tools of this many best-matching components join the candidates even when no ranker returned them.
const COMPONENTS_EXPANDED = 5;

/** Min-max to [0, 1]; a single distinct value maps to 1 (it is the best the ranker found). */
export function minMax(scores: ReadonlyMap<number, number>): Map<number, number> {
  const values = [...scores.values()];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const out = new Map<number, number>();
  for (const [id, s] of scores) out.set(id, hi > lo ? (s - lo) / (hi - lo) : 1);
  return out;
}

/**
 * Pure: fuses per-document dense similarities and lexical scores. A document missing from one
 * ranker's candidates scores 0 on that signal, the same as the worst candidate it did return.
 */
export function fuse(dense: ReadonlyMap<number, number>, lexical: ReadonlyMap<number, number>, denseWeight: number): { id: number; score: number }[] {
  const d = dense.size > 0 ? minMax(dense) : new Map<number, number>();
  const l = lexical.size > 0 ? minMax(lexical) : new Map<number, number>();
  const ids = new Set([...d.keys(), ...l.keys()]);
  return [...ids]
    .map((id) => ({ id, score: denseWeight * (d.get(id) ?? 0) + (1 - denseWeight) * (l.get(id) ?? 0) }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

/**
 * Pure: results are tools; a component's document is evidence for its tools instead of a result of
 * its own. A terse tool ("get") inside a component whose description matches the request rises, and
 * its siblings' order is still decided by their own scores.
 */
export function foldComponents(
  ranked: readonly { id: number; score: number }[],
  docs: ReadonlyMap<number, { kind: 'tool' | 'component'; source: string }>,
  toolsOf: (source: string) => readonly number[],
  componentWeight: number,
): { id: number; score: number; source: string }[] {
  const component = new Map<string, number>();
  const own = new Map<number, { score: number; source: string }>();
  for (const r of ranked) {
    const d = docs.get(r.id);
    if (d === undefined) continue;
    if (d.kind === 'component') component.set(d.source, Math.max(component.get(d.source) ?? 0, r.score));
    else own.set(r.id, { score: r.score, source: d.source });
  }
  const best = [...component].sort((a, b) => b[1] - a[1]).slice(0, COMPONENTS_EXPANDED);
  for (const [source] of best) for (const id of toolsOf(source)) if (!own.has(id)) own.set(id, { score: 0, source });
  return [...own]
    .map(([id, t]) => ({ id, source: t.source, score: (1 - componentWeight) * t.score + componentWeight * (component.get(t.source) ?? 0) }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

function embedQuery(embedder: Embedder, query: string): Promise<Float32Array> {
  return embedder.embedQuery === undefined ? embedder.embed(query) : embedder.embedQuery(query);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

function toResult(doc: StoredDocument, score: number): SearchResult {
  return {
    name: doc.name,
    source: doc.source,
    description: doc.description,
    ref: doc.ref,
    score: Math.round(score * 1e4) / 1e4,
    kind: doc.kind,
    ...(doc.metadata.permissions === undefined ? {} : { permissions: doc.metadata.permissions }),
    ...(doc.metadata.signature === undefined ? {} : { signature: doc.metadata.signature }),
  };
}

export interface SearchContext {
  readonly store: IndexStore;
  /** Undefined: no model, lexical only. */
  readonly dense?: { readonly embedder: Embedder; readonly vectors: VectorIndex } | undefined;
  readonly fusion: FusionOptions;
}

/** Runs one query; `mode` forces a ranker (the eval compares them), else hybrid whenever a model is there. */
export async function searchIndex(ctx: SearchContext, query: string, limit: number, mode?: Ranking): Promise<SearchResponse> {
  const ranking: Ranking = ctx.dense === undefined ? 'lexical' : (mode ?? 'hybrid');
  const pool = Math.max(ctx.fusion.candidates, limit);
  // Started before FTS5 so a runtime that infers off the main thread overlaps the two; onnxruntime-node
  // 1.x measured here runs inference on the main thread, so today they add up (bench/search-scale).
  const embedding = ranking !== 'lexical' && ctx.dense !== undefined ? embedQuery(ctx.dense.embedder, query) : undefined;
  const lexical = new Map<number, number>();
  if (ranking !== 'dense') for (const h of ctx.store.lexical(query, pool)) lexical.set(h.id, h.score);

  const dense = new Map<number, number>();
  if (embedding !== undefined && ctx.dense !== undefined) {
    const q = await embedding;
    for (const h of ctx.dense.vectors.search(q, pool)) dense.set(h.id, h.similarity);
    if (ranking === 'hybrid') {
      // Exact cosine for lexical candidates the ANN left out, so their dense signal is real, not 0.
      // Read from SQLite in one statement: hnswlib's getPoint costs ~50 us per vector through N-API.
      const missing = [...lexical.keys()].filter((id) => !dense.has(id));
      for (const { id, vector } of ctx.store.embeddingsOf(missing)) dense.set(id, dot(q, vector));
    }
  }

  const ranked =
    ranking === 'lexical'
      ? fuse(new Map(), lexical, 0)
      : ranking === 'dense'
        ? [...dense].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id)
        : fuse(dense, lexical, ctx.fusion.denseWeight);
  const kinds = ctx.store.kinds(ranked.map((r) => r.id));
  const hasComponents = [...kinds.values()].some((d) => d.kind === 'component');
  // Without component documents (MCP imports) folding would only rescale every score by the same factor.
  const top = (hasComponents ? foldComponents(ranked, kinds, (s) => ctx.store.toolIds(s), ctx.fusion.componentWeight) : ranked).slice(0, limit);
  const docs = ctx.store.documents(top.map((r) => r.id));
  const results: SearchResult[] = [];
  for (const r of top) {
    const doc = docs.get(r.id);
    if (doc !== undefined) results.push(toResult(doc, r.score));
  }
  return { ranking, results };
}
