// Typed queries for `secret_owners`: which component identity (source + digest) an id's secrets were given to.
import type Database from 'better-sqlite3';
import { statementCache, type Prepare } from './statements.js';

export interface SecretOwner {
  componentId: string;
  source: string;
  digest: string;
  setAt: number;
}

interface Row {
  component_id: string;
  source: string;
  digest: string;
  set_at: number;
}

export class SecretOwnersTable {
  private readonly sql: Prepare;

  constructor(db: Database.Database) {
    this.sql = statementCache(db);
  }

  get(componentId: string): SecretOwner | undefined {
    const r = this.sql('SELECT * FROM secret_owners WHERE component_id = ?').get(componentId) as Row | undefined;
    return r && { componentId: r.component_id, source: r.source, digest: r.digest, setAt: r.set_at };
  }

  set(o: Omit<SecretOwner, 'setAt'> & { setAt?: number }): void {
    this.sql(
      `INSERT INTO secret_owners (component_id, source, digest, set_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (component_id) DO UPDATE SET source = excluded.source, digest = excluded.digest, set_at = excluded.set_at`,
    ).run(o.componentId, o.source, o.digest, o.setAt ?? Date.now());
  }

  delete(componentId: string): boolean {
    return this.sql('DELETE FROM secret_owners WHERE component_id = ?').run(componentId).changes > 0;
  }
}
