import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWassetteError } from '../../src/errors.js';
import { openStore, type Store } from '../../src/store/db.js';
import { parseGrant } from '../../src/sandbox/grants.js';
import { MAX_PENDING_BYTES, MAX_PENDING_REQUESTS, PermissionService } from '../../src/sandbox/permission-service.js';
import { parsePolicy, policyToJson } from '../../src/sandbox/policy.js';

let home: string;
let store: Store;
let changed: string[];
const service = (approvalMode: 'prompt' | 'auto', s: Store = store): PermissionService =>
  new PermissionService(s, { approvalMode, onChange: (id) => changed.push(id) });
const net = parseGrant('network', { host: 'api.example.com' });

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'wassette-perm-'));
  store = openStore(home);
  changed = [];
  store.components.upsert({
    id: 'c1',
    source: 'file:///c1.wasm',
    digest: 'sha256:01',
    tools: [],
    policy: policyToJson(parsePolicy('version: "1.0"\npermissions: {environment: {allow: [{key: BASE}]}}')),
  });
});
afterEach(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isWassetteError(e) ? e.code : 'not-a-wassette-error';
  }
  return undefined;
}

describe('PermissionService', () => {
  it('the user grants immediately, even in prompt mode, and the grant is persisted and audited', () => {
    const out = service('prompt').requestGrant('user', 'c1', net);
    expect(out).toEqual({ status: 'applied', grant: net });
    expect(changed).toEqual(['c1']);
    const reopened = openStore(home);
    expect(service('prompt', reopened).listGrants('c1')).toEqual([net]);
    reopened.close();
    expect(store.audit.query({ componentId: 'c1', outcome: 'granted' })[0]).toMatchObject({ capability: 'network', target: 'api.example.com' });
  });

  it('the agent in auto mode grants immediately; storage grants on one path widen', () => {
    const svc = service('auto');
    svc.requestGrant('agent', 'c1', parseGrant('storage', { uri: 'fs:///tmp/d', access: ['read'] }));
    const out = svc.requestGrant('agent', 'c1', parseGrant('storage', { uri: 'fs:///tmp/d/', access: ['write'] }));
    expect(out).toEqual({ status: 'applied', grant: { kind: 'storage', uri: 'fs:///tmp/d', access: ['read', 'write'] } });
    expect(svc.listGrants('c1')).toHaveLength(1);
    expect(store.grants.list('c1')[0]?.grantedBy).toBe('agent');
  });

  it('an approved grant request never applies to other code loaded later under the same id', () => {
    const svc = service('prompt');
    const out = svc.requestGrant('agent', 'c1', net, 'claude');
    const id = out.status === 'pending' ? out.requestId : '';
    store.components.upsert({ id: 'c1', source: 'file:///other.wasm', digest: 'sha256:02', tools: [], policy: null });
    store.approvals.decide(id, 'approved');
    expect(codeOf(() => svc.applyApproved(id))).toBe('approval-denied');
    expect(svc.listGrants('c1')).toEqual([]);
  });

  it('the agent in prompt mode gets a pending request; approval then applies it exactly once', () => {
    const svc = service('prompt');
    const out = svc.requestGrant('agent', 'c1', net, 'claude');
    expect(out.status).toBe('pending');
    const id = out.status === 'pending' ? out.requestId : '';
    expect(svc.listGrants('c1')).toEqual([]);
    expect(changed).toEqual([]);
    expect(store.approvals.get(id)).toMatchObject({ kind: 'grant', componentId: 'c1', requestedBy: 'claude', payload: net, status: 'pending' });
    expect(codeOf(() => svc.applyApproved(id))).toBe('invalid-argument');

    const ui = openStore(home); // the approvals UI is another process on the same database
    ui.approvals.decide(id, 'approved');
    ui.close();
    expect(svc.applyApproved(id)).toEqual({ status: 'applied', grant: net });
    expect(svc.applyApproved(id)).toEqual({ status: 'applied', grant: net });
    expect(store.grants.list('c1')).toHaveLength(1);
    expect(changed).toEqual(['c1']);
    expect(store.approvals.get(id)?.appliedAt).not.toBeNull();
  });

  it('a denied request is never applied', () => {
    const svc = service('prompt');
    const out = svc.requestGrant('agent', 'c1', net);
    const id = out.status === 'pending' ? out.requestId : '';
    store.approvals.decide(id, 'denied');
    expect(codeOf(() => svc.applyApproved(id))).toBe('approval-denied');
    expect(svc.listGrants('c1')).toEqual([]);
    expect(codeOf(() => svc.applyApproved('nope'))).toBe('not-found');
  });

  it('revoke and reset are allowed for the agent in prompt mode and leave the starting policy', () => {
    const svc = service('prompt');
    svc.requestGrant('user', 'c1', net);
    svc.requestGrant('user', 'c1', parseGrant('environment', { key: 'EXTRA' }));
    svc.requestGrant('user', 'c1', parseGrant('memory', { limit: '1Gi' }));
    expect(svc.revoke('agent', 'c1', 'network', { host: 'API.example.com' })).toEqual({ revoked: true });
    expect(svc.revoke('agent', 'c1', 'network', { host: 'api.example.com' })).toEqual({ revoked: false });
    expect(svc.effectivePolicy('c1').environment.allow).toEqual([{ key: 'BASE' }, { key: 'EXTRA' }]);
    expect(svc.effectivePolicy('c1').limits.memoryBytes).toBe(1024 ** 3);
    expect(svc.reset('agent', 'c1')).toEqual({ removed: 2 });
    expect(svc.effectivePolicy('c1')).toEqual(svc.basePolicy('c1'));
    expect(store.audit.query({ componentId: 'c1', outcome: 'revoked' })).toHaveLength(1);
  });

  it('refuses unknown components before queueing anything', () => {
    const svc = service('prompt');
    expect(codeOf(() => svc.requestGrant('agent', 'ghost', net))).toBe('unknown-component');
    expect(codeOf(() => svc.revoke('user', 'ghost', 'network', { host: 'a.com' }))).toBe('unknown-component');
    expect(store.approvals.listPending()).toEqual([]);
  });

  it('revalidates grants it is handed', () => {
    expect(codeOf(() => service('auto').requestGrant('agent', 'c1', { kind: 'network', host: 'https://x/' }))).toBe('invalid-argument');
  });

  it('gates agent loads by approval mode', () => {
    expect(service('auto').requestLoad('agent', 'load_tool', { ref: 'oci://r/x:1' })).toEqual({ status: 'allowed' });
    expect(service('prompt').requestLoad('user', 'load_component', { path: '/x.wasm' })).toEqual({ status: 'allowed' });
    const out = service('prompt').requestLoad('agent', 'load_component', { path: '/x.wasm' });
    expect(out.status).toBe('pending');
    expect(store.approvals.listPending()).toMatchObject([{ kind: 'load_component', componentId: null, payload: { path: '/x.wasm' } }]);
  });

  it('a component without a starting policy is deny-all plus its grants', () => {
    store.components.upsert({ id: 'bare', source: 's', digest: 'sha256:02', tools: [] });
    const svc = service('auto');
    expect(svc.basePolicy('bare')).toBeUndefined();
    svc.requestGrant('agent', 'bare', net);
    expect(svc.effectivePolicy('bare').network.allow).toEqual([{ host: 'api.example.com' }]);
  });
});

describe('pending requests are bounded', () => {
  it('an agent cannot queue more than MAX_PENDING_REQUESTS requests for the user (each is watched until decided)', () => {
    const svc = service('prompt');
    for (let i = 0; i < MAX_PENDING_REQUESTS - 1; i++) {
      expect(svc.requestGrant('agent', 'c1', parseGrant('network', { host: `h${i}.example` })).status).toBe('pending');
    }
    expect(svc.requestLoad('agent', 'load_component', { path: '/x.wasm' }).status).toBe('pending');
    expect(codeOf(() => svc.requestGrant('agent', 'c1', parseGrant('network', { host: 'one-more.example' })))).toBe('busy');
    expect(codeOf(() => svc.requestLoad('agent', 'load_tool', { ref: 'oci://r.example/a/b:1' }))).toBe('busy');
    expect(store.approvals.listPending()).toHaveLength(MAX_PENDING_REQUESTS);
    // The user is never refused, and a decided request makes room again.
    expect(svc.requestGrant('user', 'c1', parseGrant('network', { host: 'by-user.example' })).status).toBe('applied');
    store.approvals.decide(store.approvals.listPending()[0]!.id, 'denied', 'user');
    expect(svc.requestGrant('agent', 'c1', parseGrant('network', { host: 'room.example' })).status).toBe('pending');
  });

  it('an agent cannot queue more than MAX_PENDING_BYTES of request details, however few requests that is', () => {
    const svc = service('prompt');
    // A load at the export caps: 256 tools with 1 KiB descriptions, ~300 KB of what the user is shown.
    const big = (i: number) => ({
      ref: `oci://r.example/a/b${i}:1`,
      tools: Array.from({ length: 256 }, (_, t) => ({ name: `t${t}`, description: 'd'.repeat(1024) })),
    });
    const each = Buffer.byteLength(JSON.stringify(big(0)));
    const fits = Math.floor(MAX_PENDING_BYTES / each);
    expect(fits).toBeLessThan(MAX_PENDING_REQUESTS);
    for (let i = 0; i < fits; i++) expect(svc.requestLoad('agent', 'load_tool', big(i)).status).toBe('pending');
    expect(codeOf(() => svc.requestLoad('agent', 'load_tool', big(fits)))).toBe('busy');
    expect(store.approvals.pendingPayloadBytes()).toBeLessThanOrEqual(MAX_PENDING_BYTES);
    // A small request still fits beside them; deciding one makes room for a big one again.
    expect(svc.requestGrant('agent', 'c1', parseGrant('network', { host: 'small.example' })).status).toBe('pending');
    store.approvals.decide(store.approvals.listPending()[0]!.id, 'denied', 'user');
    expect(svc.requestLoad('agent', 'load_tool', big(fits + 1)).status).toBe('pending');
  });

  it('requests older than their lifetime (left by a stopped server) do not count', () => {
    let now = 1_000_000;
    const svc = new PermissionService(store, { approvalMode: 'prompt', now: () => now });
    for (let i = 0; i < MAX_PENDING_REQUESTS; i++) svc.requestGrant('agent', 'c1', parseGrant('network', { host: `h${i}.example` }));
    expect(codeOf(() => svc.requestGrant('agent', 'c1', parseGrant('network', { host: 'late.example' })))).toBe('busy');
    now += 16 * 60 * 1000;
    expect(svc.requestGrant('agent', 'c1', parseGrant('network', { host: 'late.example' })).status).toBe('pending');
    expect(store.approvals.listPending()).toHaveLength(1);
  });
});
