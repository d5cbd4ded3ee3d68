import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWassetteError } from '../../src/errors.js';
import { openStore, type Store } from '../../src/store/db.js';

let home: string;
let s: Store;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'wassette-tables-'));
  s = openStore(home);
  s.components.upsert({ id: 'c1', source: 'oci://r/x:1', digest: 'sha256:01', tools: ['a', 'b'], policy: { version: '1.0' }, loadedAt: 10 });
});
afterEach(() => {
  s.close();
  rmSync(home, { recursive: true, force: true });
});

describe('components', () => {
  it('upserts, lists, updates the policy and deletes', () => {
    s.components.upsert({ id: 'c0', source: 'file:///y', digest: 'sha256:02', tools: [], loadedAt: 5 });
    expect(s.components.list().map((c) => c.id)).toEqual(['c0', 'c1']);
    expect(s.components.get('c1')).toMatchObject({ source: 'oci://r/x:1', policy: { version: '1.0' }, verification: null, loadedAt: 10 });
    s.components.upsert({ id: 'c1', source: 'oci://r/x:2', digest: 'sha256:03', tools: ['c'] });
    expect(s.components.get('c1')).toMatchObject({ source: 'oci://r/x:2', tools: ['c'], policy: null });
    expect(s.components.setPolicy('c1', { version: '1.0', description: 'd' })).toBe(true);
    expect(s.components.setPolicy('nope', {})).toBe(false);
    expect(s.components.delete('c1')).toBe(true);
    expect(s.components.delete('c1')).toBe(false);
    expect(s.components.get('c1')).toBeUndefined();
  });
});

describe('grants', () => {
  it('adds idempotently, revokes, resets, and survives a re-upsert of the same source and digest', () => {
    s.grants.add({ componentId: 'c1', kind: 'network', key: 'a.com', value: { host: 'a.com' }, grantedBy: 'agent', createdAt: 1 });
    s.grants.add({ componentId: 'c1', kind: 'network', key: 'a.com', value: { host: 'a.com' }, grantedBy: 'user', createdAt: 2 });
    s.grants.add({ componentId: 'c1', kind: 'environment', key: 'K', value: { key: 'K' }, grantedBy: 'user', createdAt: 3 });
    expect(s.grants.list('c1').map((g) => [g.kind, g.key, g.createdAt, g.grantedBy])).toEqual([
      ['network', 'a.com', 1, 'user'],
      ['environment', 'K', 3, 'user'],
    ]);
    s.components.upsert({ id: 'c1', source: 'oci://r/x:1', digest: 'sha256:01', tools: [] });
    expect(s.grants.list('c1')).toHaveLength(2);
    expect(s.grants.list('c1')[0]).toMatchObject({ source: 'oci://r/x:1', digest: 'sha256:01' });
    expect(s.grants.revoke('c1', 'network', 'a.com')).toBe(true);
    expect(s.grants.revoke('c1', 'network', 'a.com')).toBe(false);
    expect(s.grants.reset('c1')).toBe(1);
    expect(s.grants.list('c1')).toEqual([]);
  });

  it.each([
    ['other bytes', { source: 'oci://r/x:1', digest: 'sha256:ff' }],
    ['another source', { source: 'oci://evil/x:1', digest: 'sha256:01' }],
  ])('never applies grants given to the previous component once %s is recorded under the id; dropForeign removes them', (_, next) => {
    s.grants.add({ componentId: 'c1', kind: 'environment', key: 'K', value: { key: 'K' }, grantedBy: 'user' });
    s.components.upsert({ id: 'c1', ...next, tools: [] });
    expect(s.grants.list('c1')).toEqual([]);
    s.grants.add({ componentId: 'c1', kind: 'network', key: 'h', value: { host: 'h' }, grantedBy: 'user' });
    expect(s.grants.dropForeign('c1')).toBe(1);
    expect(s.grants.listAll().map((g) => [g.key, g.digest])).toEqual([['h', next.digest]]);
  });

  it('rejects grants for unknown components and drops grants when the component is deleted', () => {
    expect(() => s.grants.add({ componentId: 'ghost', kind: 'network', key: 'h', value: {}, grantedBy: 'user' })).toThrow(/FOREIGN KEY/);
    s.grants.add({ componentId: 'c1', kind: 'memory', key: 'memory', value: { limit: '1Gi' }, grantedBy: 'user' });
    s.components.delete('c1');
    expect(s.grants.listAll()).toEqual([]);
  });
});

describe('audit', () => {
  it('appends and filters newest first', () => {
    s.audit.append({ ts: 100, componentId: 'c1', tool: 'a', durationMs: 1.5, outcome: 'ok' });
    s.audit.append({ ts: 200, componentId: 'c1', tool: 'a', outcome: 'denied', capability: 'network', target: 'evil.com', detail: 'not granted' });
    s.audit.append({ ts: 300, componentId: 'c2', tool: 'b', outcome: 'ok' });
    expect(s.audit.query().map((e) => e.ts)).toEqual([300, 200, 100]);
    expect(s.audit.query({ componentId: 'c1' }).map((e) => e.ts)).toEqual([200, 100]);
    expect(s.audit.query({ outcome: 'denied' })[0]).toMatchObject({ capability: 'network', target: 'evil.com', durationMs: null });
    expect(s.audit.query({ since: 150 }).map((e) => e.ts)).toEqual([300, 200]);
    expect(s.audit.query({ limit: 1 }).map((e) => e.ts)).toEqual([300]);
  });
});

describe('approvals', () => {
  it('creates pending requests and decides each exactly once', () => {
    const a = s.approvals.create({ kind: 'load_tool', payload: { ref: 'oci://r/x:1' }, requestedBy: 'agent', createdAt: 1 });
    const b = s.approvals.create({ kind: 'grant', componentId: 'c1', payload: { kind: 'network', host: 'h' }, requestedBy: 'agent', createdAt: 2 });
    expect(s.approvals.listPending().map((r) => r.id)).toEqual([a.id, b.id]);
    expect(s.approvals.decide(a.id, 'denied', 'user', 5)).toMatchObject({ status: 'denied', decidedAt: 5, decidedBy: 'user' });
    let err: unknown;
    try {
      s.approvals.decide(a.id, 'approved');
    } catch (e) {
      err = e;
    }
    expect(isWassetteError(err, 'invalid-argument')).toBe(true);
    expect(() => s.approvals.decide('missing', 'approved')).toThrow(/no approval request/);
    expect(s.approvals.listPending().map((r) => r.id)).toEqual([b.id]);
  });

  it('marks an approved request applied only once and expires old pending ones', () => {
    const a = s.approvals.create({ kind: 'grant', componentId: 'c1', payload: {}, requestedBy: 'agent', createdAt: 1 });
    const b = s.approvals.create({ kind: 'grant', componentId: 'c1', payload: {}, requestedBy: 'agent', createdAt: 1000 });
    expect(s.approvals.markApplied(a.id)).toBe(false);
    s.approvals.decide(a.id, 'approved');
    expect(s.approvals.markApplied(a.id)).toBe(true);
    expect(s.approvals.markApplied(a.id)).toBe(false);
    expect(s.approvals.expireOlderThan(500)).toBe(0);
    s.approvals.create({ kind: 'grant', componentId: 'c1', payload: {}, requestedBy: 'agent', createdAt: 2 });
    expect(s.approvals.expireOlderThan(500)).toBe(1);
    expect(s.approvals.list({ status: 'expired' })).toHaveLength(1);
    expect(s.approvals.get(b.id)?.status).toBe('pending');
  });

  it('audits a load decision under the component it loads (payload.component), so filtering the log by component finds it', () => {
    const a = s.approvals.create({ kind: 'load_tool', payload: { source: 'oci://r/acme/tools:1@sha256:m', component: 'tools' }, requestedBy: 'agent' });
    const b = s.approvals.create({ kind: 'load_component', payload: { path: '/x.wasm' }, requestedBy: 'agent' });
    s.approvals.decide(a.id, 'approved', 'user (cli)', 10, 'once');
    s.approvals.decide(b.id, 'denied', 'user (cli)', 11);
    expect(s.audit.query({ componentId: 'tools' })).toMatchObject([{ outcome: 'approved', capability: 'approval:load_tool' }]);
    expect(s.audit.query({ outcome: 'denied' }).find((e) => e.capability === 'approval:load_component')?.componentId).toBeNull();
  });

  it("expires only the given component's pending requests", () => {
    const mine = s.approvals.create({ kind: 'grant', componentId: 'c1', payload: {}, requestedBy: 'agent' });
    const decided = s.approvals.create({ kind: 'grant', componentId: 'c1', payload: {}, requestedBy: 'agent' });
    s.approvals.decide(decided.id, 'denied');
    const other = s.approvals.create({ kind: 'grant', componentId: 'c2', payload: {}, requestedBy: 'agent' });
    expect(s.approvals.expireForComponent('c1')).toBe(1);
    expect(s.approvals.get(mine.id)?.status).toBe('expired');
    expect(s.approvals.get(decided.id)?.status).toBe('denied');
    expect(s.approvals.get(other.id)?.status).toBe('pending');
  });
});
