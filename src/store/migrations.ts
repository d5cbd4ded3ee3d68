// Numbered schema migrations for the SQLite store, applied in order and tracked with PRAGMA user_version.
import type Database from 'better-sqlite3';

/** Index i holds the SQL that moves the schema from version i to i + 1. Append only; never edit a shipped entry. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE components (
    id                TEXT PRIMARY KEY,
    source            TEXT NOT NULL,
    digest            TEXT NOT NULL,
    policy_json       TEXT,
    verification_json TEXT,
    tools_json        TEXT NOT NULL DEFAULT '[]',
    loaded_at         INTEGER NOT NULL
  );

  -- Grants die with their component: unloading forgets the rights it was given (deny by default on reload).
  CREATE TABLE grants (
    component_id TEXT NOT NULL REFERENCES components(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('storage', 'network', 'environment', 'memory')),
    grant_key    TEXT NOT NULL,
    value_json   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    granted_by   TEXT NOT NULL CHECK (granted_by IN ('user', 'agent')),
    PRIMARY KEY (component_id, kind, grant_key)
  );

  -- No foreign key: the log outlives unloaded components.
  CREATE TABLE audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ts           INTEGER NOT NULL,
    component_id TEXT,
    tool         TEXT,
    duration_ms  REAL,
    outcome      TEXT NOT NULL,
    capability   TEXT,
    target       TEXT,
    detail       TEXT
  );
  CREATE INDEX audit_component_ts ON audit (component_id, ts);
  CREATE INDEX audit_ts ON audit (ts);

  -- No foreign key: a load request names a component that does not exist yet.
  CREATE TABLE approvals (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('load_component', 'load_tool', 'grant')),
    component_id TEXT,
    payload_json TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'expired')),
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   TEXT,
    applied_at   INTEGER
  );
  CREATE INDEX approvals_status ON approvals (status, created_at);
  `,
  // Grants and secrets belong to a component (source + digest), not to an id: other code loaded under
  // the id gets neither. Existing rows attach to the identity currently recorded for their id.
  `
  ALTER TABLE grants ADD COLUMN source TEXT NOT NULL DEFAULT '';
  ALTER TABLE grants ADD COLUMN digest TEXT NOT NULL DEFAULT '';
  UPDATE grants SET
    source = (SELECT c.source FROM components c WHERE c.id = grants.component_id),
    digest = (SELECT c.digest FROM components c WHERE c.id = grants.component_id);

  -- No foreign key: secrets outlive an unload, so reloading the same bytes gets them back.
  CREATE TABLE secret_owners (
    component_id TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    digest       TEXT NOT NULL,
    set_at       INTEGER NOT NULL
  );
  INSERT INTO secret_owners (component_id, source, digest, set_at) SELECT id, source, digest, loaded_at FROM components;
  `,
  // Trust rules ("trust this publisher") let a later load skip the prompt.
  `
  CREATE TABLE trust_rules (
    id                   TEXT PRIMARY KEY,
    registry             TEXT NOT NULL,
    repository_prefix    TEXT NOT NULL CHECK (repository_prefix <> ''),
    signer               TEXT,
    max_permissions_json TEXT,
    created_at           INTEGER NOT NULL,
    created_by           TEXT NOT NULL,
    origin               TEXT NOT NULL CHECK (origin IN ('user', 'config'))
  );
  `,
  // Decisions carry a scope (approve once / and trust; a grant for this server session or always). A session grant
  // belongs to one running server and vanishes with it; '' is a persistent grant. Sessions are the running servers.
  `
  ALTER TABLE approvals ADD COLUMN scope TEXT CHECK (scope IN ('once', 'trust', 'session', 'always'));

  CREATE TABLE grants_v4 (
    component_id TEXT NOT NULL REFERENCES components(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('storage', 'network', 'environment', 'memory')),
    grant_key    TEXT NOT NULL,
    value_json   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    granted_by   TEXT NOT NULL CHECK (granted_by IN ('user', 'agent')),
    source       TEXT NOT NULL DEFAULT '',
    digest       TEXT NOT NULL DEFAULT '',
    session      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (component_id, kind, grant_key, session)
  );
  INSERT INTO grants_v4 (component_id, kind, grant_key, value_json, created_at, granted_by, source, digest)
    SELECT component_id, kind, grant_key, value_json, created_at, granted_by, source, digest FROM grants;
  DROP TABLE grants;
  ALTER TABLE grants_v4 RENAME TO grants;

  CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    pid        INTEGER NOT NULL,
    started_at INTEGER NOT NULL
  );
  `,
];

/** Brings the database to the latest schema; each step runs in its own IMMEDIATE transaction so two processes cannot race. */
export function migrate(db: Database.Database, migrations: readonly string[] = MIGRATIONS): number {
  for (;;) {
    const applied = db
      .transaction(() => {
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version > migrations.length) {
          throw new Error(`database schema version ${version} is newer than this wassette (knows ${migrations.length}); upgrade wassette`);
        }
        const sql = migrations[version];
        if (sql === undefined) return false;
        db.exec(sql);
        db.pragma(`user_version = ${version + 1}`);
        return true;
      })
      .immediate();
    if (!applied) return db.pragma('user_version', { simple: true }) as number;
  }
}
