// SQLite storage of the index: documents, their embeddings and an FTS5 table, replaced one source per transaction.
import Database from 'better-sqlite3';
import type { IndexDocument } from './documents.js';
import { type LexicalPlan, lexicalTopK } from './fts-lexical.js';
import { queryTerms } from './fts-query.js';
import {
  type Change,
  DEFAULT_FIELD_WEIGHTS,
  type DocRow,
  type FieldWeights,
  type LexicalHit,
  SCHEMA,
  type SourceSummary,
  type StoredDocument,
  type StoredEmbedding,
  toVector,
} from './store-schema.js';

export interface StoreOptions {
  /** Score only the documents that can reach the lexical top k (default); false ranks every match (the bench's A/B). */
  readonly pruneLexical?: boolean;
}

export class IndexStore {
  readonly #db: Database.Database;
  readonly #weights: FieldWeights;
  readonly #prune: boolean;
  /** Statements of the search path, prepared once: better-sqlite3's prepare costs more than running them. */
  readonly #statements = new Map<string, Database.Statement>();
  /** How lexical queries were answered (every match ranked, the terms' intersection alone, a pruned set): benches and tests. */
  readonly lexicalPlans: Record<LexicalPlan, number> = { all: 0, intersection: 0, pruned: 0 };

  constructor(path: string, weights: FieldWeights = DEFAULT_FIELD_WEIGHTS, opts: StoreOptions = {}) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    // WAL + NORMAL still never loses a committed-then-checkpointed transaction's atomicity; a crash drops at most the last one whole.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);
    this.#weights = weights;
    this.#prune = opts.pruneLexical ?? true;
  }

  #prepared(sql: string): Database.Statement {
    let st = this.#statements.get(sql);
    if (st === undefined) {
      st = this.#db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  /** Bumped by every change; the vector file records the generation it was written at. */
  generation(): number {
    const row = this.#prepared('SELECT value FROM meta WHERE key = ?').get('generation') as { value: string } | undefined;
    return row === undefined ? 0 : Number(row.value);
  }

  getMeta(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.#db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Inside a write transaction: the generation this change starts from and the one it makes. */
  #bump(): Change {
    const before = this.generation();
    this.setMeta('generation', String(before + 1));
    return { before, after: before + 1 };
  }

  #deleteSource(source: string): number[] {
    const ids = (this.#db.prepare('SELECT id FROM documents WHERE source = ?').all(source) as { id: number }[]).map((r) => r.id);
    const delFts = this.#db.prepare('DELETE FROM documents_fts WHERE rowid = ?');
    for (const id of ids) delFts.run(id);
    this.#db.prepare('DELETE FROM documents WHERE source = ?').run(source);
    this.#db.prepare('DELETE FROM sources WHERE source = ?').run(source);
    return ids;
  }

  /**
   * Removes a source's documents and inserts the new ones in one transaction, so a kill -9 leaves
   * either the old source or the new one. `embeddings[i]` belongs to `docs[i]` (undefined: none yet).
   */
  replaceSource(
    source: string,
    kind: 'component' | 'mcp',
    docs: readonly IndexDocument[],
    embeddings: readonly (Float32Array | undefined)[],
  ): { removed: number[]; added: StoredEmbedding[] } & Change {
    const insertDoc = this.#db.prepare(
      `INSERT INTO documents (source, key, kind, name, description, ref, metadata, embed_text, embedding)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertFts = this.#db.prepare('INSERT INTO documents_fts (rowid, name, description, params, context) VALUES (?, ?, ?, ?, ?)');
    const tx = this.#db.transaction(() => {
      const removed = this.#deleteSource(source);
      this.#db.prepare('INSERT INTO sources (source, kind, updated_at) VALUES (?, ?, ?)').run(source, kind, Date.now());
      const added: StoredEmbedding[] = [];
      docs.forEach((d, i) => {
        if (d.source !== source) throw new Error(`document ${d.key} belongs to ${d.source}, not ${source}`);
        const vector = embeddings[i];
        const blob = vector === undefined ? null : Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
        const id = Number(insertDoc.run(source, d.key, d.kind, d.name, d.description, d.ref, JSON.stringify(d.metadata), d.embedText, blob).lastInsertRowid);
        insertFts.run(id, d.fields.name, d.fields.description, d.fields.params, d.fields.context);
        if (vector !== undefined) added.push({ id, vector });
      });
      return { removed, added, ...this.#bump() };
    });
    return tx.immediate();
  }

  removeSource(source: string): { removed: number[] } & Change {
    return this.#db
      .transaction(() => {
        const removed = this.#deleteSource(source);
        return { removed, ...this.#bump() };
      })
      .immediate();
  }

  /**
   * Top `limit` documents by weighted bm25; a query with no searchable word matches nothing. The same
   * documents and scores as ranking every match, with bm25 computed only where it can matter (fts-lexical.ts).
   */
  lexical(query: string, limit: number): LexicalHit[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const w = this.#weights;
    // One read transaction: the counts, probes and final query see one snapshot even while another process writes.
    const { rows, plan } = this.#db.transaction(() =>
      lexicalTopK((sql) => this.#prepared(sql), terms, [w.name, w.description, w.params, w.context], limit, this.#prune),
    )();
    this.lexicalPlans[plan]++;
    return rows.map((r) => ({ id: r.id, score: -r.weighted }));
  }

  documents(ids: readonly number[]): Map<number, StoredDocument> {
    const out = new Map<number, StoredDocument>();
    for (const r of this.#byIds<DocRow>('id, source, key, kind, name, description, ref, metadata', ids)) {
      out.set(r.id, { ...r, metadata: JSON.parse(r.metadata) as StoredDocument['metadata'] });
    }
    return out;
  }

  /** Kind and source only: what fusion needs for every candidate, cheaper than whole documents. */
  kinds(ids: readonly number[]): Map<number, { kind: 'tool' | 'component'; source: string }> {
    const out = new Map<number, { kind: 'tool' | 'component'; source: string }>();
    for (const r of this.#byIds<{ id: number; kind: 'tool' | 'component'; source: string }>('id, kind, source', ids)) out.set(r.id, r);
    return out;
  }

  // One statement per call, not per id; ids arrive as a JSON array so the statement text is fixed.
  #byIds<T>(columns: string, ids: readonly number[]): T[] {
    if (ids.length === 0) return [];
    return this.#prepared(`SELECT ${columns} FROM documents WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as T[];
  }

  /** The tool documents of one source (the siblings a component document stands for). */
  toolIds(source: string): number[] {
    return (this.#prepared("SELECT id FROM documents WHERE source = ? AND kind = 'tool' ORDER BY id").all(source) as { id: number }[]).map((r) => r.id);
  }

  /** Every stored embedding, for rebuilding the vector index. */
  *embeddings(): Generator<StoredEmbedding> {
    for (const r of this.#db.prepare('SELECT id, embedding FROM documents WHERE embedding IS NOT NULL').iterate() as Iterable<{
      id: number;
      embedding: Buffer;
    }>) {
      yield { id: r.id, vector: toVector(r.embedding) };
    }
  }

  /** Stored embeddings of some documents, in one statement (hybrid scoring of lexical-only candidates). */
  embeddingsOf(ids: readonly number[]): StoredEmbedding[] {
    return this.#byIds<{ id: number; embedding: Buffer | null }>('id, embedding', ids)
      .filter((r): r is { id: number; embedding: Buffer } => r.embedding !== null)
      .map((r) => ({ id: r.id, vector: toVector(r.embedding) }));
  }

  /** Documents stored without an embedding (indexed while no model was available). */
  missingEmbeddings(): { id: number; text: string }[] {
    return this.#db.prepare('SELECT id, embed_text AS text FROM documents WHERE embedding IS NULL').all() as { id: number; text: string }[];
  }

  /** Stores embeddings computed later; bumps the generation so the vector file is known stale. */
  setEmbeddings(items: readonly StoredEmbedding[]): void {
    const update = this.#db.prepare('UPDATE documents SET embedding = ? WHERE id = ?');
    this.#db
      .transaction(() => {
        for (const { id, vector } of items) update.run(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), id);
        this.#bump();
      })
      .immediate();
  }

  /** Forgets every embedding (the model changed). */
  clearEmbeddings(): void {
    this.#db
      .transaction(() => {
        this.#db.prepare('UPDATE documents SET embedding = NULL').run();
        this.#bump();
      })
      .immediate();
  }

  stats(): { sources: number; documents: number; embedded: number } {
    const one = (sql: string): number => (this.#db.prepare(sql).get() as { n: number }).n;
    return {
      sources: one('SELECT count(*) AS n FROM sources'),
      documents: one('SELECT count(*) AS n FROM documents'),
      embedded: one('SELECT count(*) AS n FROM documents WHERE embedding IS NOT NULL'),
    };
  }

  sources(): string[] {
    return (this.#db.prepare('SELECT source FROM sources ORDER BY source').all() as { source: string }[]).map((r) => r.source);
  }

  /** Each source with the ref its documents carry and how many tools it holds (what an incremental crawl compares). */
  /** Per source: its pinned ref, tool count and recorded signature status (every document of a source carries the same). */
  sourceSummaries(): Map<string, SourceSummary> {
    const rows = this.#db
      .prepare("SELECT source, MIN(ref) AS ref, SUM(kind = 'tool') AS tools, MIN(metadata) AS metadata FROM documents GROUP BY source")
      .all() as { source: string; ref: string; tools: number; metadata: string }[];
    return new Map(
      rows.map((r) => {
        const signature = (JSON.parse(r.metadata) as StoredDocument['metadata']).signature;
        return [r.source, { ref: r.ref, tools: r.tools, ...(signature === undefined ? {} : { signature }) }];
      }),
    );
  }

  close(): void {
    this.#db.close();
  }
}
