import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeRequest, expire, expireStale, waitForDecision } from '../../src/approvals/queue.js';
import { openStore, type Store } from '../../src/store/db.js';
import type { ApprovalRequest } from '../../src/store/approvals.js';

let home: string;
let store: Store;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'wassette-queue-'));
  store = openStore(home);
});
afterEach(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

const create = (createdAt?: number): ApprovalRequest =>
  store.approvals.create({
    kind: 'grant',
    componentId: 'c1',
    payload: { kind: 'network', host: 'a.com' },
    requestedBy: 'agent',
    ...(createdAt === undefined ? {} : { createdAt }),
  });

describe('waitForDecision', () => {
  it('returns once another connection decides', async () => {
    const req = create();
    const ui = openStore(home);
    setTimeout(() => ui.approvals.decide(req.id, 'approved'), 60);
    const t0 = Date.now();
    const out = await waitForDecision(store.approvals, req.id, { timeoutMs: 5000, pollMs: 20 });
    ui.close();
    expect(out.status).toBe('approved');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('expires the request at the timeout', async () => {
    const req = create();
    const out = await waitForDecision(store.approvals, req.id, { timeoutMs: 50, pollMs: 10 });
    expect(out).toMatchObject({ status: 'expired', decidedBy: 'system' });
    expect(store.approvals.get(req.id)?.status).toBe('expired');
  });

  it('stops early on abort and leaves the request pending', async () => {
    const req = create();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const out = await waitForDecision(store.approvals, req.id, { timeoutMs: 10_000, pollMs: 5000, signal: ac.signal });
    expect(out.status).toBe('pending');
  });
});

describe('expiry', () => {
  it('expire keeps a decision that won the race', () => {
    const req = create();
    store.approvals.decide(req.id, 'denied');
    expect(expire(store.approvals, req.id).status).toBe('denied');
  });

  it('expireStale only touches old pending requests', () => {
    const old = create(1_000);
    const fresh = create(9_000);
    expect(expireStale(store.approvals, 5_000, 10_000)).toBe(1);
    expect(store.approvals.get(old.id)?.status).toBe('expired');
    expect(store.approvals.get(fresh.id)?.status).toBe('pending');
  });
});

describe('describeRequest', () => {
  const base = {
    id: 'r',
    componentId: 'c1',
    requestedBy: 'claude',
    status: 'pending',
    createdAt: 0,
    decidedAt: null,
    decidedBy: null,
    appliedAt: null,
    scope: null,
  } as const;
  it.each<[Partial<ApprovalRequest>, string]>([
    [{ kind: 'grant', payload: { kind: 'storage', uri: 'fs:///tmp/d', access: ['read'] } }, 'claude asks to give component c1 read access to /tmp/d'],
    [{ kind: 'grant', payload: { kind: 'network', host: 'a.com' } }, 'claude asks to give component c1 network access to a.com'],
    [{ kind: 'grant', payload: { kind: 'bogus' } }, 'claude asks to give component c1 an invalid grant ({"kind":"bogus"})'],
    [
      { kind: 'load_component', payload: { path: 'oci://r/x:1' } },
      'claude asks to load the component oci://r/x:1\ndigest not recorded\nstarting policy: not recorded (the request cannot be approved)',
    ],
    [
      {
        kind: 'load_component',
        payload: { path: '/t/a.wasm', source: '/t/a.wasm', digest: 'sha256:ab', policy: { yaml: null, digest: null, origin: null, permissions: null } },
      },
      'claude asks to load the component /t/a.wasm\ndigest sha256:ab\nstarting policy: none (no files, network or environment)',
    ],
    [{ kind: 'load_tool', payload: { ref: 'oci://r/x:1', name: 'fetch' } }, 'claude asks to load the tool fetch from oci://r/x:1'],
  ])('%j', (partial, text) => {
    expect(describeRequest({ ...base, kind: 'grant', payload: null, ...partial })).toBe(text);
  });
});
