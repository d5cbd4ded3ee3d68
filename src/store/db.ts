// Opens the one SQLite store under WASSETTE_HOME (WAL, busy timeout, foreign keys) and wires the typed table modules.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCode, WassetteError } from '../errors.js';
import { ApprovalsTable } from './approvals.js';
import { AuditTable } from './audit.js';
import { ComponentsTable } from './components.js';
import { GrantsTable } from './grants.js';
import { SecretOwnersTable } from './secret-owners.js';
import { SessionsTable } from './sessions.js';
import { TrustRulesTable } from './trust-rules.js';
import { migrate } from './migrations.js';

export interface Store {
  readonly path: string;
  /** Raw handle for transactions spanning tables (`store.db.transaction(fn)`); prefer the typed tables. */
  readonly db: Database.Database;
  readonly components: ComponentsTable;
  readonly grants: GrantsTable;
  readonly secretOwners: SecretOwnersTable;
  readonly audit: AuditTable;
  readonly approvals: ApprovalsTable;
  readonly trustRules: TrustRulesTable;
  readonly sessions: SessionsTable;
  /**
   * SQLite's data_version: changes whenever ANOTHER connection (e.g. the CLI or the approvals UI)
   * commits. Poll it to notice grants/approvals made by other processes; in-process changes are
   * reported by PermissionService's onChange.
   */
  externalChangeCounter(): number;
  close(): void;
}

export interface OpenStoreOptions {
  /** How long a writer waits for another process's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

export const DB_FILE = 'wassette.db';

/**
 * Opens (creating if needed) `<home>/wassette.db`. Safe to call from several processes at once
 * (the server and the approvals UI): WAL lets readers run beside one writer and busy_timeout makes
 * writers queue instead of failing with SQLITE_BUSY.
 */
export function openStore(home: string, options: OpenStoreOptions = {}): Store {
  const path = join(home, DB_FILE);
  let db: Database.Database;
  try {
    if (!options.readonly) mkdirSync(home, { recursive: true, mode: 0o700 });
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db);
  } catch (e) {
    throw new WassetteError(ErrorCode.Store, `cannot open the state database ${path}: ${(e as Error).message}`, { cause: e });
  }
  const dataVersion = db.prepare('PRAGMA data_version');
  const audit = new AuditTable(db);
  return {
    path,
    db,
    components: new ComponentsTable(db),
    grants: new GrantsTable(db),
    secretOwners: new SecretOwnersTable(db),
    audit,
    approvals: new ApprovalsTable(db, audit),
    trustRules: new TrustRulesTable(db),
    sessions: new SessionsTable(db),
    externalChangeCounter: () => dataVersion.pluck().get() as number,
    close: () => db.close(),
  };
}
