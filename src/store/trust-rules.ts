// Typed queries for the `trust_rules` table; the rules' meaning lives in src/approvals/trust-rules.ts.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { NewTrustRule, TrustRule } from '../approvals/trust-rules.js';
import { parseJsonColumn } from './json.js';
import { statementCache, type Prepare } from './statements.js';

interface Row {
  id: string;
  registry: string;
  repository_prefix: string;
  signer: string | null;
  max_permissions_json: string | null;
  created_at: number;
  created_by: string;
  origin: 'user' | 'config';
}

function fromRow(r: Row): TrustRule {
  const max = parseJsonColumn(r.max_permissions_json, null, 'trust_rules.max_permissions_json');
  return {
    id: r.id,
    registry: r.registry,
    repositoryPrefix: r.repository_prefix,
    signer: r.signer,
    // SQL NULL means any; a damaged column (anything but a list) caps at nothing rather than at anything.
    maxPermissions: r.max_permissions_json === null ? null : Array.isArray(max) ? max.filter((p): p is string => typeof p === 'string') : [],
    createdAt: r.created_at,
    createdBy: r.created_by,
    origin: r.origin,
  };
}

export class TrustRulesTable {
  private readonly sql: Prepare;

  constructor(private readonly db: Database.Database) {
    this.sql = statementCache(db);
  }

  /** Stores a rule (already validated); an id that exists is replaced. */
  add(r: NewTrustRule): TrustRule {
    const row: Row = {
      id: r.id ?? `tr-${randomUUID().slice(0, 8)}`,
      registry: r.registry,
      repository_prefix: r.repositoryPrefix,
      signer: r.signer,
      max_permissions_json: r.maxPermissions === null ? null : JSON.stringify(r.maxPermissions),
      created_at: r.createdAt ?? Date.now(),
      created_by: r.createdBy,
      origin: r.origin,
    };
    this.sql(
      `INSERT OR REPLACE INTO trust_rules (id, registry, repository_prefix, signer, max_permissions_json, created_at, created_by, origin)
         VALUES (@id, @registry, @repository_prefix, @signer, @max_permissions_json, @created_at, @created_by, @origin)`,
    ).run(row);
    return fromRow(row);
  }

  get(id: string): TrustRule | undefined {
    const r = this.sql('SELECT * FROM trust_rules WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  /** Oldest first. */
  list(): TrustRule[] {
    return (this.sql('SELECT * FROM trust_rules ORDER BY created_at, rowid').all() as Row[]).map(fromRow);
  }

  remove(id: string): boolean {
    return this.sql('DELETE FROM trust_rules WHERE id = ?').run(id).changes > 0;
  }

  /** Makes the config-seeded rules exactly `rules` (ids are derived from their content), in one transaction. */
  syncConfig(rules: readonly (NewTrustRule & { id: string })[]): void {
    this.db
      .transaction(() => {
        const keep = new Set(rules.map((r) => r.id));
        for (const r of this.list()) if (r.origin === 'config' && !keep.has(r.id)) this.remove(r.id);
        for (const r of rules) if (!this.get(r.id)) this.add(r);
      })
      .immediate();
  }
}
