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

  it('refuses an empty repository prefix at the schema level', () => {
    home = mkdtempSync(join(tmpdir(), 'wassette-trust-'));
    store = openStore(home);
    expect(() => store?.trustRules.add({ ...base, repositoryPrefix: '', origin: 'user' })).toThrow(/CHECK constraint/);
  });
});
