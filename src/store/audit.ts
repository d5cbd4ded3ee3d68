// Typed queries for the append-only `audit` table: every tool call, denial and permission change.
import type Database from 'better-sqlite3';
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

export class AuditTable {
  private readonly sql: Prepare;

  constructor(db: Database.Database) {
    this.sql = statementCache(db);
  }

  append(e: AuditInput): number {
    const info = this
      .sql(
        `INSERT INTO audit (ts, component_id, tool, duration_ms, outcome, capability, target, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.ts ?? Date.now(), e.componentId ?? null, e.tool ?? null, e.durationMs ?? null, e.outcome,
        e.capability ?? null, e.target ?? null, e.detail ?? null);
    return Number(info.lastInsertRowid);
  }

  /** Newest first. */
  query(q: AuditQuery = {}): AuditEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.componentId !== undefined) { where.push('component_id = ?'); args.push(q.componentId); }
    if (q.outcome !== undefined) { where.push('outcome = ?'); args.push(q.outcome); }
    if (q.since !== undefined) { where.push('ts >= ?'); args.push(q.since); }
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
