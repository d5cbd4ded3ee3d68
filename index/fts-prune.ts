// Pure: which documents can still reach a query's bm25 top k, so FTS5 scores only those (exact, not an approximation).
//
// FTS5's bm25() is a sum over the query's phrases of idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl)),
// f the column-weighted count of the phrase in the document. With non-negative weights each phrase adds less
// than idf * (k1 + 1), whatever the document; so a document containing only the terms of a set S scores below
// the sum of those bounds. Once k documents are known to score at least theta, a document whose terms cannot
// add up to more than theta is not in the top k, and FTS5 need not compute bm25 for it (~1 us a row: at 100,000
// tools the OR of a query's common words matches 10,000-30,000 documents).

/** FTS5's bm25 constants (fts5_aux.c), fixed there. */
const K1 = 1.2;

/** One term of the MATCH expression, as FTS5 will count it. */
export interface TermStat {
  readonly term: string;
  /** Documents containing the term (FTS5's nHit for the phrase). */
  readonly df: number;
}

/** FTS5's idf: log((N - n + 0.5) / (n + 0.5)), floored at 1e-6. A larger N or a smaller n only raises it. */
export function fts5Idf(rows: number, df: number): number {
  const idf = Math.log((rows - df + 0.5) / (df + 0.5));
  return idf <= 0 ? 1e-6 : idf;
}

/** The most one term can add to a document's bm25, given an upper bound on the row count. */
export function termBound(rows: number, df: number): number {
  return fts5Idf(rows, df) * (K1 + 1);
}

/** Clause count past which the exact condition is given up for the coarser "any essential term" one. */
const MAX_CLAUSES = 64;

/**
 * The documents that can still score above `theta`: a DNF of term sets (a document qualifies when it contains
 * every term of at least one set), or undefined when every document matching any term may (nothing to prune).
 * Terms with df 0 match nothing and are left out. `theta` must be a score k documents are known to reach.
 * The sets are the minimal ones whose bounds sum to more than theta; when there are too many of them, one set
 * per "essential" term (MaxScore: the terms left out together cannot reach theta), still exact, less pruned.
 */
export function candidateClauses(terms: readonly TermStat[], rows: number, theta: number): string[][] | undefined {
  const present = terms
    .filter((t) => t.df > 0)
    .map((t) => ({ term: t.term, bound: termBound(rows, t.df) }))
    .sort((a, b) => b.bound - a.bound || (a.term < b.term ? -1 : 1));
  if (present.length === 0) return undefined;
  // Floating-point slack on the side of keeping documents: a bound equal to theta within rounding still qualifies.
  const limit = theta - Math.abs(theta) * 1e-9 - 1e-12;
  if (!(limit > 0)) return undefined;
  const clauses: string[][] = [];
  let overflow = false;
  // Depth-first over terms by decreasing bound: a set is emitted as soon as it passes the limit (so it is
  // minimal with respect to its last term); suffix sums cut branches that cannot reach it.
  const suffix: number[] = new Array(present.length + 1).fill(0);
  for (let i = present.length - 1; i >= 0; i--) suffix[i] = (suffix[i + 1] ?? 0) + (present[i]?.bound ?? 0);
  const walk = (start: number, chosen: string[], sum: number): void => {
    for (let i = start; i < present.length && !overflow; i++) {
      const t = present[i];
      if (t === undefined || sum + (suffix[i] ?? 0) <= limit) return;
      const next = sum + t.bound;
      if (next > limit) {
        clauses.push([...chosen, t.term]);
        if (clauses.length > MAX_CLAUSES) overflow = true;
      } else walk(i + 1, [...chosen, t.term], next);
    }
  };
  walk(0, [], 0);
  if (!overflow) return clauses.length === present.length && clauses.every((c) => c.length === 1) ? undefined : clauses;
  // MaxScore: the weakest terms whose bounds together stay within the limit are non-essential.
  let rest = 0;
  let cut = present.length;
  while (cut > 0 && rest + (present[cut - 1]?.bound ?? 0) <= limit) rest += present[--cut]?.bound ?? 0;
  if (cut === present.length) return undefined;
  return present.slice(0, cut).map((t) => [t.term]);
}

/** The DNF as an FTS5 MATCH expression over quoted terms (the same quoting as ftsMatchExpression). */
export function clausesExpression(clauses: readonly (readonly string[])[]): string {
  return clauses.map((c) => (c.length === 1 ? `"${c[0]}"` : `(${c.map((t) => `"${t}"`).join(' AND ')})`)).join(' OR ');
}
