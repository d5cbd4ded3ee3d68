import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';

let home: string;
let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
  rmSync(home, { recursive: true, force: true });
});

const base = { registry: 'r.example', repositoryPrefix: 'acme', signer: 'sha256:k', maxPermissions: ['network a.example'], createdBy: 'user (cli)' };

describe('TrustRulesTable', () => {
  it('stores, lists, reads back and removes rules; survives reopening', () => {
    home = mkdtempSync(join(tmpdir(), 'wassette-trust-'));
    store = openStore(home);
    const a = store.trustRules.add({ ...base, origin: 'user', createdAt: 10 });
    const b = store.trustRules.add({ ...base, signer: null, maxPermissions: null, origin: 'user', createdAt: 20 });
    expect(a.id).toMatch(/^tr-/);
    store.close();
    store = openStore(home);
    expect(store.trustRules.list()).toEqual([a, b]);
    expect(store.trustRules.get(b.id)?.maxPermissions).toBeNull();
    expect(store.trustRules.remove(a.id)).toBe(true);
    expect(store.trustRules.remove(a.id)).toBe(false);
    expect(store.trustRules.list().map((r) => r.id)).toEqual([b.id]);
  });

  it('syncs config rules to exactly the given set, leaving user rules alone', () => {
    home = mkdtempSync(join(tmpdir(), 'wassette-trust-'));
    store = openStore(home);
    const user = store.trustRules.add({ ...base, origin: 'user' });
    store.trustRules.syncConfig([
      { ...base, id: 'config:1', origin: 'config' },
      { ...base, id: 'config:2', origin: 'config', repositoryPrefix: 'beta' },
    ]);
    expect(
      store.trustRules
        .list()
        .map((r) => r.id)
        .sort(),
    ).toEqual(['config:1', 'config:2', user.id].sort());
    store.trustRules.syncConfig([{ ...base, id: 'config:2', origin: 'config', repositoryPrefix: 'beta' }]);
    expect(
      store.trustRules
        .list()
        .map((r) => r.id)
        .sort(),
    ).toEqual(['config:2', user.id].sort());
  });

  it('reads a damaged permission ceiling as "nothing", never as "anything", and corrupt JSON as a store error', () => {
    home = mkdtempSync(join(tmpdir(), 'wassette-trust-'));
    store = openStore(home);
    const r = store.trustRules.add({ ...base, origin: 'user' });
    const set = (v: string) => store?.db.prepare('UPDATE trust_rules SET max_permissions_json = ? WHERE id = ?').run(v, r.id);
    for (const damaged of ['null', '{"any":true}', '"*"', '[1, {"x": 2}]']) {
      set(damaged);
      expect(store.trustRules.get(r.id)?.maxPermissions, damaged).toEqual([]);
    }
    set('[not json');
    expect(() => store?.trustRules.list()).toThrow(/corrupt trust_rules.max_permissions_json/);
  });

  it('refuses an empty repository prefix at the schema level', () => {
    home = mkdtempSync(join(tmpdir(), 'wassette-trust-'));
    store = openStore(home);
    expect(() => store?.trustRules.add({ ...base, repositoryPrefix: '', origin: 'user' })).toThrow(/CHECK constraint/);
  });
});
