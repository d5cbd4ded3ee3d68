import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretStore, secretFileName } from '../../src/sandbox/secrets.js';

let home: string;
let store: SecretStore;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'wassette-secrets-'));
  store = new SecretStore(home);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('SecretStore', () => {
  it('sets, lists keys, gets all, deletes', () => {
    expect(store.list('c1')).toEqual([]);
    store.set('c1', { B: '2', A: '1' });
    store.set('c1', { A: 'one' });
    store.set('c2', { A: 'other' });
    expect(store.list('c1')).toEqual(['A', 'B']);
    expect(store.getAll('c1')).toEqual({ A: 'one', B: '2' });
    expect(store.delete('c1', ['B', 'NOPE'])).toEqual(['B']);
    expect(store.getAll('c1')).toEqual({ A: 'one' });
    expect(store.delete('c1')).toEqual(['A']);
    expect(readdirSync(join(home, 'secrets'))).toEqual(['c2.json']);
    expect(store.getAll('c2')).toEqual({ A: 'other' });
  });

  it('uses 0700 for the directory and 0600 for files, and leaves no temp files', () => {
    store.set('c1', { K: 'v' });
    expect(statSync(join(home, 'secrets')).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'secrets', 'c1.json')).mode & 0o777).toBe(0o600);
    store.set('c1', { K: 'w' });
    expect(statSync(join(home, 'secrets', 'c1.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(home, 'secrets'))).toEqual(['c1.json']);
  });

  it('maps unsafe component ids to a file inside the secrets dir', () => {
    for (const id of ['../escape', 'oci://reg/x:1', '.hidden', 'a/b']) {
      const name = secretFileName(id);
      expect(name).toMatch(/^b64-[A-Za-z0-9_-]+\.json$/);
      store.set(id, { K: id });
      expect(store.getAll(id)).toEqual({ K: id });
    }
    expect(secretFileName('fetch-rs_1.2')).toBe('fetch-rs_1.2.json');
    expect(readdirSync(home)).toEqual(['secrets']);
  });

  it('rejects bad keys and does not echo values in errors', () => {
    expect(() => store.set('c1', { 'A=B': 'hunter2' })).toThrow(/must not contain/);
    mkdirSync(join(home, 'secrets'), { recursive: true });
    writeFileSync(join(home, 'secrets', 'c9.json'), '{"K": "hunter2"');
    let message = '';
    try {
      store.getAll('c9');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/not valid JSON/);
    expect(message).not.toContain('hunter2');
    expect(readFileSync(join(home, 'secrets', 'c9.json'), 'utf8')).toContain('hunter2');
  });
});
