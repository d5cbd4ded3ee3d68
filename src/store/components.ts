// Typed queries for the `components` table: what is loaded, from where, with which digest, policy and tool names.
import type Database from 'better-sqlite3';
import { statementCache, type Prepare } from './statements.js';
import { parseJsonColumn } from './json.js';

export interface ComponentRecord {
  /** Stable id chosen by the loader. */
  id: string;
  /** The source reference as the user gave it (oci://..., https://..., file path). */
  source: string;
  /** `sha256:<hex>` of the component bytes. */
  digest: string;
  /** Starting policy (from policy.yaml or the artifact) as policy JSON; null means deny all. */
  policy: unknown;
  verification: unknown;
  /** Assigned MCP tool names. */
  tools: string[];
  loadedAt: number;
}

interface Row {
  id: string;
  source: string;
  digest: string;
  policy_json: string | null;
  verification_json: string | null;
  tools_json: string;
  loaded_at: number;
}

function fromRow(r: Row): ComponentRecord {
  return {
    id: r.id,
    source: r.source,
    digest: r.digest,
    policy: parseJsonColumn(r.policy_json, null),
    verification: parseJsonColumn(r.verification_json, null),
    tools: parseJsonColumn(r.tools_json, []) as string[],
    loadedAt: r.loaded_at,
  };
}

export type ComponentInput = Omit<ComponentRecord, 'loadedAt' | 'policy' | 'verification'> & {
  policy?: unknown;
  verification?: unknown;
  loadedAt?: number;
};

export class ComponentsTable {
  private readonly sql: Prepare;

  constructor(db: Database.Database) {
    this.sql = statementCache(db);
  }

  /** Inserts or updates in place; never deletes the row, so the component's grants survive a reload. */
  upsert(c: ComponentInput): ComponentRecord {
    const row: Row = {
      id: c.id,
      source: c.source,
      digest: c.digest,
      policy_json: c.policy === undefined || c.policy === null ? null : JSON.stringify(c.policy),
      verification_json: c.verification === undefined || c.verification === null ? null : JSON.stringify(c.verification),
      tools_json: JSON.stringify(c.tools),
      loaded_at: c.loadedAt ?? Date.now(),
    };
    this.sql(
      `INSERT INTO components (id, source, digest, policy_json, verification_json, tools_json, loaded_at)
         VALUES (@id, @source, @digest, @policy_json, @verification_json, @tools_json, @loaded_at)
         ON CONFLICT (id) DO UPDATE SET source = excluded.source, digest = excluded.digest,
           policy_json = excluded.policy_json, verification_json = excluded.verification_json,
           tools_json = excluded.tools_json, loaded_at = excluded.loaded_at`,
    ).run(row);
    return fromRow(row);
  }

  get(id: string): ComponentRecord | undefined {
    const r = this.sql('SELECT * FROM components WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  list(): ComponentRecord[] {
    return (this.sql('SELECT * FROM components ORDER BY loaded_at, id').all() as Row[]).map(fromRow);
  }

  /** Replaces only the starting policy (e.g. `wassette policy` edits); returns false when the id is unknown. */
  setPolicy(id: string, policy: unknown): boolean {
    const json = policy === undefined || policy === null ? null : JSON.stringify(policy);
    return this.sql('UPDATE components SET policy_json = ? WHERE id = ?').run(json, id).changes > 0;
  }

  /** Deletes the component and (by cascade) its grants; returns false when it was not there. */
  delete(id: string): boolean {
    return this.sql('DELETE FROM components WHERE id = ?').run(id).changes > 0;
  }
}
