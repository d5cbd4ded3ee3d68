// Typed queries for the append-only `audit` table: every tool call, denial and permission change.
import type Database from 'better-sqlite3';
import { truncateUtf8 } from '../sandbox/denial-bounds.js';
import { statementCache, type Prepare } from './statements.js';

export type AuditOutcome = 'ok' | 'error' | 'denied' | 'timeout' | 'trap' | 'granted' | 'revoked' | 'pending' | (string & {});

export interface AuditEntry {
  id: number;
  /** Milliseconds since the epoch. */
  ts: number;
  componentId: string | null;
  tool: string | null;
  durationMs: number | null;
  outcome: AuditOutcome;
  /** For denials and grants: storage | network | environment | memory | sockets. */
  capability: string | null;
  /** What was touched or refused: a path, host, env key. */
  target: string | null;
  detail: string | null;
}

export type AuditInput = Partial<Omit<AuditEntry, 'id' | 'outcome'>> & { outcome: AuditOutcome };

export interface AuditQuery {
  componentId?: string;
  outcome?: AuditOutcome;
  /** Only entries with ts >= since (ms epoch). */
  since?: number;
  /** Newest first; default 100, at most 10000. */
  limit?: number;
}

interface Row {
  id: number;
  ts: number;
  component_id: string | null;
  tool: string | null;
  duration_ms: number | null;
  outcome: string;
  capability: string | null;
  target: string | null;
  detail: string | null;
}

/** No single audit field a component can influence (target, detail, tool name) grows a row past this. */
export const MAX_AUDIT_FIELD_BYTES = 4096;

function bounded(text: string | null | undefined): string | null {
  if (text === undefined || text === null) return null;
  return text.length <= MAX_AUDIT_FIELD_BYTES / 4 ? text : truncateUtf8(text, MAX_AUDIT_FIELD_BYTES);
}

export class AuditTable {
  private readonly sql: Prepare;

  constructor(db: Database.Database) {
    this.sql = statementCache(db);
  }

  append(e: AuditInput): number {
    const info = this.sql(
      `INSERT INTO audit (ts, component_id, tool, duration_ms, outcome, capability, target, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      e.ts ?? Date.now(),
      bounded(e.componentId),
      bounded(e.tool),
      e.durationMs ?? null,
      e.outcome,
      bounded(e.capability),
      bounded(e.target),
      bounded(e.detail),
    );
    return Number(info.lastInsertRowid);
  }

  /**
   * Retention: deletes the oldest rows beyond `maxRows` and rows older than `maxAgeMs`, at most
   * `chunk` rows per call so a prune never stalls the server; both walk the id / ts indexes.
   */
  prune(limits: { maxRows: number; maxAgeMs: number; now?: number; chunk?: number }): number {
    const chunk = Math.max(1, Math.floor(limits.chunk ?? 5000));
    const maxId = (this.sql('SELECT MAX(id) FROM audit').pluck().get() as number | null) ?? 0;
    let removed = this.sql('DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE id <= ? ORDER BY id LIMIT ?)').run(
      maxId - Math.max(0, Math.floor(limits.maxRows)),
      chunk,
    ).changes;
    const cutoff = (limits.now ?? Date.now()) - limits.maxAgeMs;
    removed += this.sql('DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE ts < ? ORDER BY ts LIMIT ?)').run(cutoff, chunk).changes;
    return removed;
  }

  /** Newest first. */
  query(q: AuditQuery = {}): AuditEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.componentId !== undefined) {
      where.push('component_id = ?');
      args.push(q.componentId);
    }
    if (q.outcome !== undefined) {
      where.push('outcome = ?');
      args.push(q.outcome);
    }
    if (q.since !== undefined) {
      where.push('ts >= ?');
      args.push(q.since);
    }
    const limit = Math.min(Math.max(1, Math.floor(q.limit ?? 100)), 10_000);
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT ?`;
    return (this.sql(sql).all(...args, limit) as Row[]).map((r) => ({
      id: r.id,
      ts: r.ts,
      componentId: r.component_id,
      tool: r.tool,
      durationMs: r.duration_ms,
      outcome: r.outcome,
      capability: r.capability,
      target: r.target,
      detail: r.detail,
    }));
  }
}
