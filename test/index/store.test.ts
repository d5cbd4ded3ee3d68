import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type SourceInput, sourceDocuments } from '../../index/documents.js';
import { ftsMatchExpression, MAX_QUERY_CHARS, queryTerms } from '../../index/fts-query.js';
import { IndexStore } from '../../index/store.js';
import type { FieldWeights } from '../../index/store-schema.js';
import { mulberry32 } from '../helpers/prng.js';
import { tempDir } from './helpers.js';

function source(name: string, tools: string[], description = 'does things'): SourceInput {
  return { source: name, kind: 'mcp', ref: `mcp:${name}`, tools: tools.map((t) => ({ name: t, description: `${t} ${description}` })) };
}

function put(store: IndexStore, input: SourceInput): void {
  const docs = sourceDocuments(input);
  store.replaceSource(
    input.source,
    input.kind,
    docs,
    docs.map(() => undefined),
  );
}

const HOSTILE = [
  '"',
  '"unbalanced',
  'a " b " c "',
  '*',
  'weather*',
  '* OR *',
  'NEAR(weather forecast, 2)',
  'weather NEAR forecast',
  '(((((',
  ')) AND ((',
  'name:weather',
  '{name description}: weather',
  '^weather',
  'weather AND NOT OR',
  '-weather +forecast',
  "'; DROP TABLE documents; --",
  '\u0000\u0001',
  '😀 🌦️ weather',
  'x'.repeat(10_000),
  'weather '.repeat(2_000),
  '"("*'.repeat(2_500),
];

describe('FTS5 query sanitation', () => {
  it.each(HOSTILE.map((q) => [q.length > 40 ? `${q.slice(0, 40)}... (${q.length} chars)` : q, q]))('%j neither throws nor is slow', (_label, q) => {
    const store = new IndexStore(join(tempDir(), 'index.db'));
    put(store, source('a.json', ['get_weather', 'forecast', 'near_me']));
    const t0 = performance.now();
    const hits = store.lexical(q, 10);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(Array.isArray(hits)).toBe(true);
    store.close();
  });

  it('operators become plain words that still match', () => {
    const store = new IndexStore(join(tempDir(), 'index.db'));
    put(store, source('a.json', ['get_weather', 'near_me', 'calculator']));
    const names = (q: string) => [...store.documents(store.lexical(q, 10).map((h) => h.id)).values()].map((d) => d.name);
    expect(names('NEAR(weather')[0]).toBe('get_weather');
    expect(names('near')).toEqual(['near_me']);
    expect(names('"calculator"*')).toEqual(['calculator']);
    store.close();
  });

  it('truncates, drops stopwords, splits identifiers and caps the term count', () => {
    expect(queryTerms('What is the getWeather in Paris?')).toEqual(['weather', 'getweather', 'paris']);
    expect(ftsMatchExpression('what is it')).toBeUndefined();
    expect(ftsMatchExpression('NEAR "x"')).toBe('"near" OR "x"');
    expect(queryTerms(Array.from({ length: 500 }, (_, i) => `w${i}x`).join(' ')).length).toBeLessThanOrEqual(32);
    expect(queryTerms(`${'a'.repeat(MAX_QUERY_CHARS)} weather`)).not.toContain('weather');
  });
});

describe('IndexStore', () => {
  it('ranks by weighted bm25: a name match beats a description-only match', () => {
    const store = new IndexStore(join(tempDir(), 'index.db'));
    store.replaceSource(
      's',
      'mcp',
      sourceDocuments({
        source: 's',
        kind: 'mcp',
        ref: 'r',
        tools: [
          { name: 'translate', description: 'Turns text into another language' },
          { name: 'summarize', description: 'Shortens text; can translate a summary too' },
        ],
      }),
      [undefined, undefined],
    );
    const [first] = store.lexical('translate', 5);
    expect(store.documents([first?.id ?? -1]).get(first?.id ?? -1)?.name).toBe('translate');
    store.close();
  });

  it('replaceSource replaces only that source and bumps the generation', () => {
    const store = new IndexStore(join(tempDir(), 'index.db'));
    put(store, source('a.json', ['alpha_one', 'alpha_two']));
    put(store, source('b.json', ['beta_one']));
    const g = store.generation();
    put(store, source('a.json', ['alpha_three']));
    expect(store.generation()).toBe(g + 1);
    expect(store.stats()).toEqual({ sources: 2, documents: 2, embedded: 0 });
    expect(store.lexical('alpha', 10)).toHaveLength(1);
    expect(store.removeSource('a.json').removed).toHaveLength(1);
    expect(store.sources()).toEqual(['b.json']);
    expect(store.lexical('alpha', 10)).toEqual([]);
    store.close();
  });

  it('a failing replace leaves the old source whole', () => {
    const store = new IndexStore(join(tempDir(), 'index.db'));
    put(store, source('a.json', ['alpha_one', 'alpha_two']));
    const bad = [...sourceDocuments(source('a.json', ['new_one'])), ...sourceDocuments(source('other.json', ['intruder']))];
    expect(() =>
      store.replaceSource(
        'a.json',
        'mcp',
        bad,
        bad.map(() => undefined),
      ),
    ).toThrow(/belongs to other.json/);
    expect(store.stats().documents).toBe(2);
    expect(store.lexical('alpha', 10)).toHaveLength(2);
    expect(store.lexical('new', 10)).toEqual([]);
    store.close();
  });

  it('keeps documents and embeddings across reopen', () => {
    const path = join(tempDir(), 'index.db');
    const store = new IndexStore(path);
    const docs = sourceDocuments(source('a.json', ['alpha_one']));
    store.replaceSource('a.json', 'mcp', docs, [new Float32Array([0.6, 0.8])]);
    store.close();
    const again = new IndexStore(path);
    const [e] = [...again.embeddings()];
    expect(Array.from(e?.vector ?? [])).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(again.lexical('alpha', 5)).toHaveLength(1);
    again.close();
  });

  it('kill -9 during replaces never leaves half a source', async () => {
    const dir = tempDir();
    const db = join(dir, 'index.db');
    const script = join(dir, 'writer.ts');
    const storeUrl = resolve(import.meta.dirname, '..', '..', 'index', 'store.ts');
    const docsUrl = resolve(import.meta.dirname, '..', '..', 'index', 'documents.ts');
    // Each generation of the source has exactly 50 tools named after it.
    writeFileSync(
      script,
      `
      import { IndexStore } from ${JSON.stringify(storeUrl)};
      import { sourceDocuments } from ${JSON.stringify(docsUrl)};
      const store = new IndexStore(${JSON.stringify(db)});
      for (let g = 0; ; g++) {
        const tools = Array.from({ length: 50 }, (_, i) => ({ name: 'gen' + g + '_tool' + i, description: 'generation ' + g }));
        const docs = sourceDocuments({ source: 's.json', kind: 'mcp', ref: 'r', tools });
        store.replaceSource('s.json', 'mcp', docs, docs.map(() => new Float32Array(384).fill(g)));
        if (g === 5) process.stdout.write('ready\\n');
      }
    `,
    );
    // `node --import tsx`, not the tsx CLI: the CLI runs a second process that SIGKILL would not reach.
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: resolve(import.meta.dirname, '..', '..') });
    await new Promise<void>((ok) => child.stdout.once('data', () => ok()));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    child.stdout.destroy();
    const store = new IndexStore(db);
    const s = store.stats();
    expect(s).toEqual({ sources: 1, documents: 50, embedded: 50 });
    const names = [...store.documents(store.lexical('tool', 50).map((h) => h.id)).values()].map((d) => d.name.replace(/_tool\d+$/, ''));
    expect(new Set(names).size).toBe(1);
    store.close();
  }, 30_000);
});

describe('IndexStore.lexical pruning', () => {
  // A small vocabulary over thousands of tools: every word matches hundreds of documents, as common words do at 100k.
  const VERBS = ['get', 'list', 'create', 'delete', 'send', 'render', 'parse', 'export'];
  const NOUNS = ['invoice', 'email', 'ticket', 'record', 'route', 'file', 'metric', 'quote'];
  const DOMAINS = ['billing', 'mail', 'helpdesk', 'crm', 'maps', 'storage'];

  function corpus(weights?: FieldWeights): { store: IndexStore; path: string } {
    const path = join(tempDir(), 'index.db');
    const store = new IndexStore(path, weights);
    const rand = mulberry32(3);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    for (let c = 0; c < 1000; c++) {
      const domain = pick(DOMAINS);
      const tools = Array.from({ length: 8 }, (_, i) => {
        const verb = pick(VERBS);
        const noun = pick(NOUNS);
        // Varying lengths and repeats, so term frequencies and document lengths differ between documents.
        const extra = Array.from({ length: Math.floor(rand() * 6) }, () => pick([...NOUNS, ...DOMAINS])).join(' ');
        return { name: `${verb}_${noun}_${i}`, description: `${verb} ${noun} ${extra} in ${domain}`, params: [{ name: `${pick(NOUNS)}_id` }] };
      });
      put(store, { source: `c${c}`, kind: 'component', ref: `oci://x/c${c}`, name: domain, description: `${domain} tools`, tools });
    }
    return { store, path };
  }

  it('returns exactly the ids and scores of ranking every match, and prunes most queries', () => {
    const { store, path } = corpus();
    const db = new Database(path, { readonly: true });
    const all = db.prepare(
      'SELECT rowid AS id, bm25(documents_fts, 3, 1, 0.5, 0.3) AS weighted FROM documents_fts WHERE documents_fts MATCH ? ORDER BY weighted LIMIT ?',
    );
    const rand = mulberry32(11);
    const words = [...VERBS, ...NOUNS, ...DOMAINS, 'outage', 'paris'];
    let compared = 0;
    for (let q = 0; q < 150; q++) {
      const query = Array.from({ length: 2 + Math.floor(rand() * 4) }, () => words[Math.floor(rand() * words.length)]).join(' ');
      const match = ftsMatchExpression(query);
      if (match === undefined) continue;
      for (const limit of [5, 50]) {
        const expected = (all.all(match, limit) as { id: number; weighted: number }[]).map((r) => ({ id: r.id, score: -r.weighted }));
        expect(store.lexical(query, limit), `${query} (limit ${limit})`).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(250);
    // The comparison is only worth something if the pruned paths ran, both of them.
    expect(store.lexicalPlans.pruned).toBeGreaterThan(20);
    expect(store.lexicalPlans.intersection).toBeGreaterThan(20);
    db.close();
    store.close();
  }, 60_000);

  it('never prunes when told not to, with a negative field weight (the bounds assume every term adds >= 0), nor a small match set', () => {
    const query = 'send email invoice';
    const pruned = corpus();
    pruned.store.lexical(query, 5);
    expect(pruned.store.lexicalPlans.all).toBe(0);
    const off = new IndexStore(pruned.path, undefined, { pruneLexical: false });
    expect(off.lexical(query, 5)).toEqual(pruned.store.lexical(query, 5));
    expect(off.lexicalPlans).toEqual({ all: 1, intersection: 0, pruned: 0 });
    off.close();
    pruned.store.close();
    const negative = corpus({ name: -1, description: 1, params: 1, context: 1 });
    negative.store.lexical(query, 5);
    expect(negative.store.lexicalPlans).toEqual({ all: 1, intersection: 0, pruned: 0 });
    negative.store.close();
    const small = new IndexStore(join(tempDir(), 'index.db'));
    put(small, source('a.json', ['send_email', 'send_invoice', 'email_invoice', 'list_email']));
    expect(small.lexical(query, 2)).toHaveLength(2);
    expect(small.lexicalPlans).toEqual({ all: 1, intersection: 0, pruned: 0 });
    small.close();
  }, 60_000);
});
