// FTS5 top k by weighted bm25, scoring only the documents that can still reach it (the bounds are fts-prune.ts).
import type Database from 'better-sqlite3';
import { candidateClauses, clausesExpression } from './fts-prune.js';
import { termsExpression } from './fts-query.js';

/** Below this many term matches (summed over the query's terms) every match is ranked: probing would cost as much. */
const PRUNE_MIN_MATCHES = 5000;
/** Probe queries tried for a pruning threshold before ranking every match. */
const MAX_PROBES = 3;

/** How a query was answered: every match ranked, the intersection of its present terms alone, or a pruned set. */
export type LexicalPlan = 'all' | 'intersection' | 'pruned';

/** The store's cached prepare. */
export type Prepare = (sql: string) => Database.Statement;

export interface WeightedRow {
  readonly id: number;
  /** bm25() as FTS5 returns it: lower is better. */
  readonly weighted: number;
}

function ranked(prepare: Prepare, weights: readonly number[], match: string, limit: number): WeightedRow[] {
  return prepare(
    `SELECT rowid AS id, bm25(documents_fts, ?, ?, ?, ?) AS weighted FROM documents_fts
       WHERE documents_fts MATCH ? ORDER BY weighted LIMIT ?`,
  ).all(...weights, match, limit) as WeightedRow[];
}

/**
 * The top `limit` rows of the OR of `terms` (queryTerms' output) by bm25 with column `weights`: the same rows
 * and scores as ranking every match. `prune` false ranks every match (the bench's A/B).
 */
export function lexicalTopK(
  prepare: Prepare,
  terms: readonly string[],
  weights: readonly number[],
  limit: number,
  prune: boolean,
): { rows: WeightedRow[]; plan: LexicalPlan } {
  const match = termsExpression(terms);
  const pruned = prune && limit > 0 && terms.length > 1 && weights.every((x) => x >= 0) ? pruning(prepare, terms, weights, limit) : undefined;
  if (pruned === undefined) return { rows: ranked(prepare, weights, match, limit), plan: 'all' };
  if (typeof pruned !== 'string') return { rows: pruned, plan: 'intersection' };
  // Unary + keeps the IN a filter on the scan (before bm25), not one FTS5 rowid lookup per candidate.
  const rows = prepare(
    `SELECT rowid AS id, bm25(documents_fts, ?, ?, ?, ?) AS weighted FROM documents_fts
       WHERE documents_fts MATCH ? AND +rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)
       ORDER BY weighted LIMIT ?`,
  ).all(...weights, match, pruned, limit) as WeightedRow[];
  return { rows, plan: 'pruned' };
}

/**
 * Undefined: rank every match. Else the top rows themselves (the query's present terms all in one
 * document decide it), or a MATCH expression for the only documents that can reach the top `limit`.
 */
function pruning(prepare: Prepare, terms: readonly string[], weights: readonly number[], limit: number): WeightedRow[] | string | undefined {
  // FTS5's row count is at most the largest id (ids are never reused); a larger count only loosens the bounds.
  const rows = (prepare('SELECT max(id) AS n FROM documents').get() as { n: number | null }).n ?? 0;
  if (rows < PRUNE_MIN_MATCHES) return undefined;
  const count = prepare('SELECT count(*) AS n FROM documents_fts WHERE documents_fts MATCH ?');
  const stats = terms.map((term) => ({ term, df: (count.get(termsExpression([term])) as { n: number }).n }));
  const present = stats.filter((s) => s.df > 0);
  // Too few matches to be worth the probes: ranking them all is about as cheap.
  if (present.length < 2 || present.reduce((n, s) => n + s.df, 0) < PRUNE_MIN_MATCHES) return undefined;
  // bm25 over some of the query's terms is at most a document's full score (each term adds >= 0), so the
  // `limit`-th best of the documents probed so far is a score `limit` documents reach. Probes: every present
  // term, then without the rarest ones (larger sets, more likely to hold `limit` documents), at most a few.
  const known = new Map<number, number>();
  const byRarity = [...present].sort((a, b) => a.df - b.df || (a.term < b.term ? -1 : 1));
  for (let drop = 0; drop <= Math.min(present.length - 2, MAX_PROBES - 1); drop++) {
    const chosen = new Set(byRarity.slice(drop).map((s) => s.term));
    // In query order: with every present term, the phrases are summed in the full query's order (absent
    // terms add exactly 0), so these scores are bit for bit the full query's.
    const probe = ranked(
      prepare,
      weights,
      termsExpression(
        terms.filter((t) => chosen.has(t)),
        ' AND ',
      ),
      limit,
    );
    for (const r of probe) known.set(r.id, Math.max(known.get(r.id) ?? Number.NEGATIVE_INFINITY, -r.weighted));
    if (known.size < limit) continue;
    const theta = [...known.values()].sort((x, y) => y - x)[limit - 1] as number;
    const clauses = candidateClauses(stats, rows, theta);
    if (clauses === undefined) continue;
    const onlyAll = drop === 0 && probe.length === limit && clauses.length === 1 && clauses[0]?.length === present.length;
    return onlyAll ? probe : clausesExpression(clauses);
  }
  return undefined;
}
