import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimSecrets, dropForeignRights, sameIdentity, secretsFor } from '../../src/core/carry-over.js';
import { SecretStore } from '../../src/sandbox/secrets.js';
import { openStore, type Store } from '../../src/store/db.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';

let home: string;
let s: Store;
let secrets: SecretStore;
const A = { source: '/w/weather.wasm', digest: 'sha256:aa' };
const B = { source: '/w/weather.wasm', digest: 'sha256:bb' };
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'wassette-carry-'));
  s = openStore(home);
  secrets = new SecretStore(home);
  s.components.upsert({ id: 'weather', ...A, tools: [] });
});
afterEach(() => {
  s.close();
  rmSync(home, { recursive: true, force: true });
});

describe('sameIdentity', () => {
  it('is the same source and the same digest; unknown is never the same', () => {
    expect(sameIdentity(A, { ...A })).toBe(true);
    expect(sameIdentity(A, B)).toBe(false);
    expect(sameIdentity(A, { ...A, source: '/other/weather.wasm' })).toBe(false);
    expect(sameIdentity(A, undefined)).toBe(false);
    expect(sameIdentity(undefined, undefined)).toBe(false);
  });
});

describe('secrets follow their owner', () => {
  it('gives secrets only to the component they were set for, keeps them over an unload, and drops them for other code', () => {
    claimSecrets(s, secrets, 'weather', A);
    secrets.set('weather', { API_KEY: 'v' });
    expect(secretsFor(s, secrets, 'weather')).toEqual({ API_KEY: 'v' });
    s.components.delete('weather');
    expect(secretsFor(s, secrets, 'weather')).toEqual({});
    expect(secrets.list('weather')).toEqual(['API_KEY']);
    // Same bytes again: the secret is theirs.
    s.components.upsert({ id: 'weather', ...A, tools: [] });
    expect(dropForeignRights(s, secrets, 'weather', A)).toBeUndefined();
    expect(secretsFor(s, secrets, 'weather')).toEqual({ API_KEY: 'v' });
    // Other bytes: not visible even before the load path drops them, then dropped and audited.
    s.grants.add({ componentId: 'weather', kind: 'environment', key: 'API_KEY', value: { key: 'API_KEY' }, grantedBy: 'user' });
    s.components.upsert({ id: 'weather', ...B, tools: [] });
    expect(secretsFor(s, secrets, 'weather')).toEqual({});
    expect(dropForeignRights(s, secrets, 'weather', B)).toMatch(/^1 grant and 1 secret of the previous component were not carried over/);
    expect(secrets.list('weather')).toEqual([]);
    expect(s.grants.listAll()).toEqual([]);
    expect(s.secretOwners.get('weather')).toMatchObject(B);
    expect(s.audit.query({ outcome: 'rights-dropped' })).toHaveLength(1);
  });

  it('a secrets file with no recorded owner is given to nobody and dropped at the next load', () => {
    secrets.set('weather', { OLD: 'x' });
    expect(secretsFor(s, secrets, 'weather')).toEqual({});
    expect(dropForeignRights(s, secrets, 'weather', A)).toMatch(/0 grants and 1 secret/);
  });
});

describe('migration 2', () => {
  it('attaches existing grants and secrets to the identity recorded for their id', () => {
    const path = join(home, 'old.db');
    const db = new Database(path);
    migrate(db, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO components (id, source, digest, tools_json, loaded_at) VALUES ('w', 'src', 'sha256:01', '[]', 1)").run();
    db.prepare(
      "INSERT INTO grants (component_id, kind, grant_key, value_json, created_at, granted_by) VALUES ('w', 'environment', 'K', '{}', 1, 'user')",
    ).run();
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT source, digest FROM grants').get()).toEqual({ source: 'src', digest: 'sha256:01' });
    expect(db.prepare('SELECT source, digest FROM secret_owners WHERE component_id = ?').get('w')).toEqual({ source: 'src', digest: 'sha256:01' });
    db.close();
  });
});
