// Retrieval metrics over ranked names (Hit@k, Recall@k, nDCG@k) and latency percentiles.

export interface Judged {
  /** Names in rank order. */
  readonly ranked: readonly string[];
  readonly relevant: readonly string[];
  readonly ms: number;
}

export interface Metrics {
  readonly n: number;
  readonly hit1: number;
  readonly hit5: number;
  readonly recall5: number;
  readonly ndcg10: number;
  readonly p50: number;
  readonly p99: number;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}

function ndcg(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((name, i) => {
    if (relevant.has(name)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function score(judged: readonly Judged[]): Metrics {
  let hit1 = 0;
  let hit5 = 0;
  let recall5 = 0;
  let ndcg10 = 0;
  for (const j of judged) {
    const rel = new Set(j.relevant);
    if (j.ranked[0] !== undefined && rel.has(j.ranked[0])) hit1++;
    const top5 = j.ranked.slice(0, 5).filter((n) => rel.has(n)).length;
    if (top5 > 0) hit5++;
    recall5 += top5 / rel.size;
    ndcg10 += ndcg(j.ranked, rel, 10);
  }
  const n = judged.length;
  const ms = judged.map((j) => j.ms);
  return { n, hit1: hit1 / n, hit5: hit5 / n, recall5: recall5 / n, ndcg10: ndcg10 / n, p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

export function metricsRow(label: string, m: Metrics): string {
  const f = (x: number): string => x.toFixed(3);
  return `| ${label} | ${m.n} | ${f(m.hit1)} | ${f(m.hit5)} | ${f(m.recall5)} | ${f(m.ndcg10)} | ${m.p50.toFixed(1)} | ${m.p99.toFixed(1)} |`;
}

export const METRICS_HEADER = '| ranking | queries | Hit@1 | Hit@5 | Recall@5 | nDCG@10 | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|';
