// Typed queries for the `grants` table: rights given to a component after load, keyed by (component, kind, key).
import type Database from 'better-sqlite3';
import { statementCache, type Prepare } from './statements.js';
import { parseJsonColumn } from './json.js';

/** The kinds the `grants.kind` column holds; `src/sandbox/grants.ts` gives each its typed shape. */
export const GRANT_KINDS = ['storage', 'network', 'environment', 'memory'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];
export type GrantedBy = 'user' | 'agent';

export interface GrantRow {
  componentId: string;
  kind: GrantKind;
  /** Identity within the kind: the normalized uri, host, env key, or 'memory'. */
  key: string;
  /** The grant's details as JSON; its typed shape lives in `src/sandbox/grants.ts`. */
  value: unknown;
  createdAt: number;
  grantedBy: GrantedBy;
  /** The component identity the grant was given to (copied from `components` when added). */
  source?: string;
  digest?: string;
  /** The server session it holds for; '' (or absent) for a persistent grant. */
  session?: string;
}

interface Row {
  component_id: string;
  kind: GrantKind;
  grant_key: string;
  value_json: string;
  created_at: number;
  granted_by: GrantedBy;
  source: string;
  digest: string;
  session: string;
}

function fromRow(r: Row): GrantRow {
  return {
    componentId: r.component_id,
    kind: r.kind,
    key: r.grant_key,
    value: parseJsonColumn(r.value_json, null, 'grants.value_json'),
    createdAt: r.created_at,
    grantedBy: r.granted_by,
    source: r.source,
    digest: r.digest,
    session: r.session,
  };
}

export class GrantsTable {
  private readonly sql: Prepare;

  constructor(db: Database.Database) {
    this.sql = statementCache(db);
  }

  /**
   * Adds a grant or, when (component, kind, key) exists, replaces its value and keeps the original
   * created_at. Idempotent. The grant belongs to the source and digest recorded for the component
   * now. Throws a foreign-key error if the component is not in `components`.
   */
  add(g: Omit<GrantRow, 'createdAt' | 'source' | 'digest'> & { createdAt?: number }): void {
    const changes = this.sql(
      `INSERT INTO grants (component_id, kind, grant_key, value_json, created_at, granted_by, source, digest, session)
         SELECT ?, ?, ?, ?, ?, ?, c.source, c.digest, ? FROM components c WHERE c.id = ?
         ON CONFLICT (component_id, kind, grant_key, session) DO UPDATE SET value_json = excluded.value_json,
           granted_by = excluded.granted_by, source = excluded.source, digest = excluded.digest`,
    ).run(g.componentId, g.kind, g.key, JSON.stringify(g.value), g.createdAt ?? Date.now(), g.grantedBy, g.session ?? '', g.componentId).changes;
    if (changes === 0) throw new Error(`FOREIGN KEY constraint failed: no component ${g.componentId}`);
  }

  /** Removes the component's grants that were given to another source or digest; returns how many. */
  dropForeign(componentId: string): number {
    return this.sql(
      `DELETE FROM grants WHERE component_id = ? AND NOT EXISTS (SELECT 1 FROM components c
           WHERE c.id = grants.component_id AND c.source = grants.source AND c.digest = grants.digest)`,
    ).run(componentId).changes;
  }

  get(componentId: string, kind: GrantKind, key: string, session = ''): GrantRow | undefined {
    const r = this.sql('SELECT * FROM grants WHERE component_id = ? AND kind = ? AND grant_key = ? AND session = ?').get(componentId, kind, key, session) as
      | Row
      | undefined;
    return r && fromRow(r);
  }

  /** Removes one grant, persistent and for every session; returns false when there was nothing to remove. */
  revoke(componentId: string, kind: GrantKind, key: string): boolean {
    return this.sql('DELETE FROM grants WHERE component_id = ? AND kind = ? AND grant_key = ?').run(componentId, kind, key).changes > 0;
  }

  /** Removes every grant of a component (back to its starting policy); returns how many were removed. */
  reset(componentId: string): number {
    return this.sql('DELETE FROM grants WHERE component_id = ?').run(componentId).changes;
  }

  /**
   * Grants in the order they were made; only those given to the source and digest recorded for the id now, and only
   * persistent ones plus those of `session` (a server's own session; '' for none, `'*'` for every session).
   */
  list(componentId: string, session = ''): GrantRow[] {
    return (
      this.sql(
        `SELECT g.* FROM grants g JOIN components c ON c.id = g.component_id AND c.source = g.source AND c.digest = g.digest
         WHERE g.component_id = ? AND (g.session = '' OR g.session = ? OR ? = '*') ORDER BY g.created_at, g.rowid`,
      ).all(componentId, session, session) as Row[]
    ).map(fromRow);
  }

  listAll(): GrantRow[] {
    return (this.sql('SELECT * FROM grants ORDER BY component_id, created_at, rowid').all() as Row[]).map(fromRow);
  }
}
