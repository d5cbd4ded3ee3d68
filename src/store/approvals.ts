// Typed queries for the `approvals` table: requests waiting for the user, decided exactly once.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { statementCache, type Prepare } from './statements.js';
import { ErrorCode, WassetteError } from '../errors.js';
import { parseJsonColumn } from './json.js';

export type ApprovalKind = 'load_component' | 'load_tool' | 'grant';
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';
export type ApprovalDecision = 'approved' | 'denied' | 'expired';

export interface ApprovalRequest {
  id: string;
  kind: ApprovalKind;
  componentId: string | null;
  /** What is asked for: for a grant the Grant, for loads the reference; shown to the user as is. */
  payload: unknown;
  /** Who asked: 'agent' or an MCP client/session name. */
  requestedBy: string;
  status: ApprovalStatus;
  createdAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  /** Set once the approved request has taken effect, so it is applied at most once. */
  appliedAt: number | null;
}

interface Row {
  id: string;
  kind: ApprovalKind;
  component_id: string | null;
  payload_json: string;
  requested_by: string;
  status: ApprovalStatus;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
  applied_at: number | null;
}

function fromRow(r: Row): ApprovalRequest {
  return {
    id: r.id,
    kind: r.kind,
    componentId: r.component_id,
    payload: parseJsonColumn(r.payload_json, null, 'approvals.payload_json'),
    requestedBy: r.requested_by,
    status: r.status,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    appliedAt: r.applied_at,
  };
}

export interface NewApproval {
  kind: ApprovalKind;
  componentId?: string | null;
  payload: unknown;
  requestedBy: string;
  /** Defaults to a random UUID. */
  id?: string;
  createdAt?: number;
}

export class ApprovalsTable {
  private readonly sql: Prepare;

  constructor(db: Database.Database) {
    this.sql = statementCache(db);
  }

  create(a: NewApproval): ApprovalRequest {
    const row: Row = {
      id: a.id ?? randomUUID(),
      kind: a.kind,
      component_id: a.componentId ?? null,
      payload_json: JSON.stringify(a.payload ?? null),
      requested_by: a.requestedBy,
      status: 'pending',
      created_at: a.createdAt ?? Date.now(),
      decided_at: null,
      decided_by: null,
      applied_at: null,
    };
    this.sql(
      `INSERT INTO approvals (id, kind, component_id, payload_json, requested_by, status, created_at)
         VALUES (@id, @kind, @component_id, @payload_json, @requested_by, @status, @created_at)`,
    ).run(row);
    return fromRow(row);
  }

  get(id: string): ApprovalRequest | undefined {
    const r = this.sql('SELECT * FROM approvals WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  /** Oldest first. Without a status, every request. */
  list(filter: { status?: ApprovalStatus; limit?: number } = {}): ApprovalRequest[] {
    const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? 1000)), 10_000);
    const rows =
      filter.status === undefined
        ? this.sql('SELECT * FROM approvals ORDER BY created_at, rowid LIMIT ?').all(limit)
        : this.sql('SELECT * FROM approvals WHERE status = ? ORDER BY created_at, rowid LIMIT ?').all(filter.status, limit);
    return (rows as Row[]).map(fromRow);
  }

  listPending(): ApprovalRequest[] {
    return this.list({ status: 'pending' });
  }

  /**
   * Moves a pending request to its decision in one conditional UPDATE, so when two processes decide
   * at once exactly one wins; the loser gets an InvalidArgument error naming the current status.
   */
  decide(id: string, decision: ApprovalDecision, decidedBy = 'user', at = Date.now()): ApprovalRequest {
    const changed = this.sql(`UPDATE approvals SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'`).run(
      decision,
      at,
      decidedBy,
      id,
    ).changes;
    const after = this.get(id);
    if (!after) throw new WassetteError(ErrorCode.NotFound, `no approval request with id ${id}`);
    if (changed === 0) {
      throw new WassetteError(ErrorCode.InvalidArgument, `approval request ${id} is already ${after.status}; only pending requests can be decided`, {
        data: { status: after.status },
      });
    }
    return after;
  }

  /** Marks an approved request applied; returns false if it was already applied (or is not approved). */
  markApplied(id: string, at = Date.now()): boolean {
    return this.sql(`UPDATE approvals SET applied_at = ? WHERE id = ? AND status = 'approved' AND applied_at IS NULL`).run(at, id).changes > 0;
  }

  /** Expires a component's pending requests (it is being unloaded: a later approval must not reach a reload under the same id). */
  expireForComponent(componentId: string, at = Date.now()): number {
    return this.sql(`UPDATE approvals SET status = 'expired', decided_at = ?, decided_by = 'system' WHERE status = 'pending' AND component_id = ?`).run(
      at,
      componentId,
    ).changes;
  }

  /** Expires pending requests created before `olderThan` (ms epoch); returns how many. */
  expireOlderThan(olderThan: number, at = Date.now()): number {
    return this.sql(`UPDATE approvals SET status = 'expired', decided_at = ?, decided_by = 'system' WHERE status = 'pending' AND created_at < ?`).run(
      at,
      olderThan,
    ).changes;
  }
}
