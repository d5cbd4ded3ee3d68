// Typed queries for the `sessions` table: the running servers, so session-scoped grants die with the server that
// was given them (at its close, or at the next start after it was killed).
import type Database from 'better-sqlite3';
import { statementCache, type Prepare } from './statements.js';

export interface SessionRow {
  id: string;
  pid: number;
  startedAt: number;
}

export class SessionsTable {
  private readonly sql: Prepare;

  constructor(private readonly db: Database.Database) {
    this.sql = statementCache(db);
  }

  open(s: SessionRow): void {
    this.sql('INSERT OR REPLACE INTO sessions (id, pid, started_at) VALUES (?, ?, ?)').run(s.id, s.pid, s.startedAt);
  }

  list(): SessionRow[] {
    return (this.sql('SELECT id, pid, started_at AS startedAt FROM sessions ORDER BY started_at').all() as SessionRow[]).map((r) => ({ ...r }));
  }

  /** Forgets a session and every grant given for it, in one transaction; returns how many grants went. */
  close(id: string): number {
    return this.db
      .transaction(() => {
        this.sql('DELETE FROM sessions WHERE id = ?').run(id);
        return this.sql('DELETE FROM grants WHERE session = ?').run(id).changes;
      })
      .immediate();
  }

  /**
   * Closes the sessions whose process is gone (killed servers) and drops grants whose session is not recorded at
   * all; returns how many grants went.
   */
  closeDead(isAlive: (pid: number) => boolean): number {
    let removed = 0;
    for (const s of this.list()) if (!isAlive(s.pid)) removed += this.close(s.id);
    removed += this.sql(`DELETE FROM grants WHERE session <> '' AND session NOT IN (SELECT id FROM sessions)`).run().changes;
    return removed;
  }
}
