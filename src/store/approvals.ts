// Typed queries for the `approvals` table: requests waiting for the user, decided exactly once.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ErrorCode, WassetteError } from '../errors.js';
import type { AuditTable } from './audit.js';
import { parseJsonColumn } from './json.js';
import { statementCache, type Prepare } from './statements.js';

export type ApprovalKind = 'load_component' | 'load_tool' | 'grant';
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';
export type ApprovalDecision = 'approved' | 'denied' | 'expired';
/** How far an approval reaches: a load once or with a trust rule; a grant for the asking server's session or always. */
export type ApprovalScope = 'once' | 'trust' | 'session' | 'always';

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
  /** The reach the user chose with the approval; null for denials and for approvals made without a choice. */
  scope: ApprovalScope | null;
  /** Why the approved request could not be carried out; null when it was (or has not been tried yet). */
  applyError: string | null;
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
  scope: ApprovalScope | null;
  apply_error: string | null;
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
    scope: r.scope ?? null,
    applyError: r.apply_error ?? null,
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

/** What a decision's audit row names as its target: the source of a load, the grant of a grant request. */
function auditTarget(kind: ApprovalKind, payload: unknown): string {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (kind !== 'grant') return String(p.source ?? p.path ?? p.ref ?? '');
  const { component_source: _s, component_digest: _d, session: _session, ...grant } = p;
  return JSON.stringify(grant);
}

export class ApprovalsTable {
  private readonly sql: Prepare;

  /** With `audit`, every decision (approve, deny, expire) is written to the audit log with who made it. */
  constructor(
    private readonly db: Database.Database,
    private readonly audit?: AuditTable,
  ) {
    this.sql = statementCache(db);
  }

  private audited(r: Pick<Row, 'id' | 'kind' | 'component_id' | 'payload_json'>, decision: ApprovalDecision, decidedBy: string, at: number): void {
    const payload = parseJsonColumn(r.payload_json, null, 'approvals.payload_json');
    // A load names the id it loads under (`payload.component`), so the log filtered by component shows its approval.
    const loads = r.kind !== 'grant' ? (payload as { component?: unknown } | null)?.component : undefined;
    this.audit?.append({
      ts: at,
      componentId: r.component_id ?? (typeof loads === 'string' ? loads : null),
      outcome: decision,
      capability: `approval:${r.kind}`,
      target: auditTarget(r.kind, payload),
      detail: `request ${r.id} ${decision} by ${decidedBy}`,
    });
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
      scope: null,
      apply_error: null,
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

  /** The status of each of `ids` that exists, in one query (however many are asked for). */
  statusOf(ids: readonly string[]): Map<string, ApprovalStatus> {
    const rows = this.sql('SELECT id, status FROM approvals WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
      id: string;
      status: ApprovalStatus;
    }[];
    return new Map(rows.map((r) => [r.id, r.status]));
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

  /** How many requests are pending (an index lookup). */
  countPending(): number {
    return (this.sql("SELECT COUNT(*) AS n FROM approvals WHERE status = 'pending'").get() as { n: number }).n;
  }

  /** Bytes of the payloads of pending requests (what the agents' queue holds on disk). */
  pendingPayloadBytes(): number {
    return (this.sql("SELECT COALESCE(SUM(length(CAST(payload_json AS BLOB))), 0) AS n FROM approvals WHERE status = 'pending'").get() as { n: number }).n;
  }

  listPending(): ApprovalRequest[] {
    return this.list({ status: 'pending' });
  }

  /**
   * Moves a pending request to its decision in one conditional UPDATE, so when two processes decide
   * at once exactly one wins; the loser gets an InvalidArgument error naming the current status.
   */
  decide(id: string, decision: ApprovalDecision, decidedBy = 'user', at = Date.now(), scope: ApprovalScope | null = null): ApprovalRequest {
    const changed = this.db
      .transaction(() => {
        const won = this.sql(`UPDATE approvals SET status = ?, decided_at = ?, decided_by = ?, scope = ? WHERE id = ? AND status = 'pending' RETURNING *`).get(
          decision,
          at,
          decidedBy,
          decision === 'approved' ? scope : null,
          id,
        ) as Row | undefined;
        if (won) this.audited(won, decision, decision === 'approved' && scope ? `${decidedBy}, ${scope}` : decidedBy, at);
        return won !== undefined;
      })
      .immediate();
    const after = this.get(id);
    if (!after) throw new WassetteError(ErrorCode.NotFound, `no approval request with id ${id}`);
    if (!changed) {
      throw new WassetteError(ErrorCode.InvalidArgument, `approval request ${id} is already ${after.status}; only pending requests can be decided`, {
        data: { status: after.status },
      });
    }
    return after;
  }

  /** Records why an approved request could not be carried out (kept short; the server log has the rest). */
  recordFailure(id: string, message: string): void {
    this.sql(`UPDATE approvals SET apply_error = ? WHERE id = ? AND status = 'approved'`).run(message.slice(0, 2000), id);
  }

  /** Marks an approved request applied; returns false if it was already applied (or is not approved). */
  markApplied(id: string, at = Date.now()): boolean {
    return this.sql(`UPDATE approvals SET applied_at = ? WHERE id = ? AND status = 'approved' AND applied_at IS NULL`).run(at, id).changes > 0;
  }

  /** Expires a component's pending requests (it is being unloaded: a later approval must not reach a reload under the same id). */
  expireForComponent(componentId: string, at = Date.now()): number {
    return this.expireWhere('component_id = ?', componentId, at);
  }

  /** Expires pending requests created before `olderThan` (ms epoch); returns how many. */
  expireOlderThan(olderThan: number, at = Date.now()): number {
    return this.expireWhere('created_at < ?', olderThan, at);
  }

  private expireWhere(condition: 'component_id = ?' | 'created_at < ?', value: string | number, at: number): number {
    return this.db
      .transaction(() => {
        const rows = this.sql(
          `UPDATE approvals SET status = 'expired', decided_at = ?, decided_by = 'system' WHERE status = 'pending' AND ${condition} RETURNING *`,
        ).all(at, value) as Row[];
        for (const r of rows) this.audited(r, 'expired', 'system', at);
        return rows.length;
      })
      .immediate();
  }
}
