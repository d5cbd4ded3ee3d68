// The index's SQLite schema and the row types its store reads and writes.

/** bm25() weights per FTS5 column, in column order: name, description, params, context. */
export interface FieldWeights {
  readonly name: number;
  readonly description: number;
  readonly params: number;
  readonly context: number;
}

export const DEFAULT_FIELD_WEIGHTS: FieldWeights = { name: 3, description: 1, params: 0.5, context: 0.3 };

export interface StoredDocument {
  readonly id: number;
  readonly source: string;
  readonly key: string;
  readonly kind: 'tool' | 'component';
  readonly name: string;
  readonly description: string;
  readonly ref: string;
  readonly metadata: { readonly permissions?: unknown; readonly signature?: unknown };
}

/** What the index holds for one source: the crawler's "seen at this digest" check and the signature status it recorded. */
export interface SourceSummary {
  readonly ref: string;
  readonly tools: number;
  readonly signature?: unknown;
}

export interface LexicalHit {
  readonly id: number;
  /** Higher is better (bm25() negated). */
  readonly score: number;
}

/**
 * Generations around one write: a process whose vectors reflect `before` may apply the change and
 * be at `after`; any other means another process wrote in between (the server and the CLI share a db).
 */
export interface Change {
  readonly before: number;
  readonly after: number;
}

export interface StoredEmbedding {
  readonly id: number;
  readonly vector: Float32Array;
}

export interface DocRow {
  id: number;
  source: string;
  key: string;
  kind: 'tool' | 'component';
  name: string;
  description: string;
  ref: string;
  metadata: string;
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, kind TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL REFERENCES sources(source),
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  ref TEXT NOT NULL,
  metadata TEXT NOT NULL,
  embed_text TEXT NOT NULL,
  embedding BLOB,
  UNIQUE (source, key)
);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(name, description, params, context, tokenize = 'porter unicode61');
`;

// Copy: a Buffer from SQLite may share a pool and need not be 4-byte aligned.
export function toVector(blob: Buffer): Float32Array {
  const bytes = new Uint8Array(blob);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}
