// Pure: turns free text from an agent into a safe FTS5 MATCH expression (no syntax gets through).
import { splitText } from './documents.js';

/** Longer queries are cut before any work: a 10,000-character query must stay fast. */
export const MAX_QUERY_CHARS = 1000;
const MAX_TERMS = 32;

// Words that carry no intent in a request to find a tool; matching them only adds noise to bm25.
const STOPWORDS = new Set(
  `a about above after again all also am an and any are as at be been being below between both but by can could
did do does doing down during each few for from further get give had has have having he her here hers him his how
i if in into is it its itself just let like me more most my myself need no nor not now of off on once only or other
our ours out over own please same she should show so some such tell than that the their theirs them then there
these they this those through to too under until up very want was we were what when where which while who whom
why will with would you your yours`.split(/\s+/),
);

/** Truncates without splitting a surrogate pair. */
export function truncateQuery(query: string): string {
  if (query.length <= MAX_QUERY_CHARS) return query;
  const cut = query.slice(0, MAX_QUERY_CHARS);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The query's searchable words, identifier-split, stopwords dropped, deduplicated, in order. */
export function queryTerms(query: string): string[] {
  const seen = new Set<string>();
  for (const w of splitText(truncateQuery(query)).split(' ')) {
    if (w.length === 0 || STOPWORDS.has(w) || seen.has(w)) continue;
    seen.add(w);
    if (seen.size >= MAX_TERMS) break;
  }
  return [...seen];
}

/**
 * An OR of quoted terms: quoting makes `NEAR`, `AND`, `*`, `:` and parentheses plain words, and
 * splitText has already removed quotes. OR, not FTS5's implicit AND, because a request in plain
 * language rarely has every word in one tool's text; bm25 ranks the documents matching more terms first.
 */
export function ftsMatchExpression(query: string): string | undefined {
  const terms = queryTerms(query);
  return terms.length === 0 ? undefined : termsExpression(terms);
}

/** Quoted terms joined by OR (or AND): terms from queryTerms, so no quote is inside one. */
export function termsExpression(terms: readonly string[], join: ' OR ' | ' AND ' = ' OR '): string {
  return terms.map((t) => `"${t}"`).join(join);
}
