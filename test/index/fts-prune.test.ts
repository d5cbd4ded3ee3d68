import { describe, expect, it } from 'vitest';
import { candidateClauses, clausesExpression, fts5Idf, termBound } from '../../index/fts-prune.js';
import { mulberry32 } from '../helpers/prng.js';

/** Brute force over every subset: does a document holding exactly `has` still qualify under the clauses? */
function qualifies(clauses: readonly (readonly string[])[] | undefined, has: ReadonlySet<string>): boolean {
  return clauses === undefined ? has.size > 0 : clauses.some((c) => c.every((t) => has.has(t)));
}

describe('fts5Idf and termBound', () => {
  it("is FTS5's idf, floored at 1e-6 for a term in more than half the rows", () => {
    expect(fts5Idf(1000, 10)).toBeCloseTo(Math.log(990.5 / 10.5), 12);
    expect(fts5Idf(100, 60)).toBe(1e-6);
    expect(termBound(1000, 10)).toBeCloseTo(2.2 * Math.log(990.5 / 10.5), 12);
  });

  it('only grows with the row count and shrinks with the document frequency (so an upper bound on rows is safe)', () => {
    expect(termBound(2000, 10)).toBeGreaterThan(termBound(1000, 10));
    expect(termBound(1000, 20)).toBeLessThan(termBound(1000, 10));
  });
});

describe('candidateClauses', () => {
  const rows = 100_000;
  const common = (term: string) => ({ term, df: 10_000 }); // bound 2.2 * log(90000.5 / 10000.5) ~ 4.83

  it('asks for both common terms when one alone cannot reach the threshold', () => {
    expect(candidateClauses([common('send'), common('email')], rows, 7)).toEqual([['email', 'send']]);
  });

  it('prunes nothing when a single term can reach the threshold', () => {
    expect(candidateClauses([common('send'), common('email')], rows, 4)).toBeUndefined();
  });

  it('leaves out terms no document has, and prunes nothing with a non-positive threshold', () => {
    expect(candidateClauses([common('send'), { term: 'outage', df: 0 }], rows, 3)).toBeUndefined();
    expect(candidateClauses([{ term: 'outage', df: 0 }], rows, 3)).toBeUndefined();
    expect(candidateClauses([common('send'), common('email')], rows, 0)).toBeUndefined();
  });

  it('a rare term alone qualifies, common ones only in pairs', () => {
    const clauses = candidateClauses([common('a'), common('b'), { term: 'rare', df: 3 }], rows, 8);
    expect(clauses).toEqual([['rare'], ['a', 'b']]);
  });

  it('exactly the term sets whose bounds sum above theta qualify (random cases against brute force)', () => {
    const rand = mulberry32(7);
    for (let c = 0; c < 300; c++) {
      const n = 1 + Math.floor(rand() * 6);
      const terms = Array.from({ length: n }, (_, i) => ({ term: `t${i}`, df: Math.floor(rand() * rand() * 60_000) }));
      const theta = rand() * 25;
      const clauses = candidateClauses(terms, rows, theta);
      for (let mask = 1; mask < 1 << n; mask++) {
        const has = new Set(terms.filter((_, i) => mask & (1 << i)).map((t) => t.term));
        const present = terms.filter((t) => has.has(t.term) && t.df > 0);
        const bound = present.reduce((s, t) => s + termBound(rows, t.df), 0);
        if (present.length === 0) continue;
        // Never wrong on the safe side: a set that could exceed theta always qualifies.
        if (bound > theta * (1 + 1e-9)) expect(qualifies(clauses, has), `case ${c} mask ${mask}`).toBe(true);
        // And with few terms (no MaxScore fallback) the ones that cannot are pruned.
        if (bound < theta * (1 - 1e-6) && clauses !== undefined) expect(qualifies(clauses, has), `case ${c} mask ${mask}`).toBe(false);
      }
    }
  });

  it('past 64 clauses falls back to "any essential term" (MaxScore), still never losing a set that can reach theta', () => {
    const terms = Array.from({ length: 20 }, (_, i) => ({ term: `t${i}`, df: 5_000 + i * 100 }));
    const weakest = termBound(rows, 5_000 + 19 * 100);
    const theta = 5 * termBound(rows, 5_000); // every 5-set is a clause: far more than 64
    const clauses = candidateClauses(terms, rows, theta);
    expect(clauses?.every((c) => c.length === 1)).toBe(true);
    // The weakest terms together stay within theta, so they are not essential on their own.
    expect(clauses?.length).toBeLessThan(20);
    expect(clauses?.some((c) => c[0] === 't19')).toBe(false);
    expect(weakest).toBeGreaterThan(0);
  });
});

describe('clausesExpression', () => {
  it('quotes every term and groups conjunctions', () => {
    expect(clausesExpression([['rare'], ['a', 'b']])).toBe('"rare" OR ("a" AND "b")');
  });
});
