import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';

let home: string;
let stores: Store[];
const open = (): Store => {
  const s = openStore(home);
  stores.push(s);
  return s;
};

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'wassette-store-'));
  stores = [];
});
afterEach(() => {
  for (const s of stores) s.close();
  rmSync(home, { recursive: true, force: true });
});

describe('openStore', () => {
  it('creates wassette.db with WAL, foreign keys and the latest schema version', () => {
    const s = open();
    expect(s.path).toBe(join(home, 'wassette.db'));
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(s.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('reopening does not re-run migrations and keeps data', () => {
    const a = open();
    a.components.upsert({ id: 'c1', source: 'file:///x.wasm', digest: 'sha256:aa', tools: ['t'] });
    a.close();
    stores = [];
    const b = open();
    expect(b.components.get('c1')?.tools).toEqual(['t']);
  });

  it("two connections see each other's writes (server + UI processes)", () => {
    const server = open();
    const ui = open();
    server.components.upsert({ id: 'c1', source: 's', digest: 'sha256:aa', tools: [] });
    const req = server.approvals.create({ kind: 'grant', componentId: 'c1', payload: { host: 'x' }, requestedBy: 'agent' });
    expect(ui.approvals.listPending().map((r) => r.id)).toEqual([req.id]);
    const before = server.externalChangeCounter();
    ui.approvals.decide(req.id, 'approved');
    expect(server.approvals.get(req.id)?.status).toBe('approved');
    expect(server.externalChangeCounter()).not.toBe(before);
    const own = server.externalChangeCounter();
    server.audit.append({ outcome: 'ok' });
    expect(server.externalChangeCounter()).toBe(own);
  });

  it('refuses a database from a newer wassette', () => {
    const db = new Database(join(home, 'wassette.db'));
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openStore(home)).toThrow(/newer than this wassette/);
  });

  it('migrate applies pending steps in order and reports the version', () => {
    const db = new Database(':memory:');
    expect(migrate(db, ['CREATE TABLE a (x)', 'CREATE TABLE b (y)'])).toBe(2);
    expect(migrate(db, ['CREATE TABLE a (x)', 'CREATE TABLE b (y)', 'ALTER TABLE a ADD COLUMN z'])).toBe(3);
    expect(db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all('table')).toEqual([{ name: 'a' }, { name: 'b' }]);
    db.close();
  });
});
