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

describe('waitForDecision with many waiters', () => {
  it('looks 1,000 requests up together, one query per poll, and settles each on its own decision', async () => {
    const reqs = Array.from({ length: 1000 }, () => create());
    const ac = new AbortController();
    let statusQueries = 0;
    let reads = 0;
    const statusOf = store.approvals.statusOf.bind(store.approvals);
    const get = store.approvals.get.bind(store.approvals);
    store.approvals.statusOf = (ids) => {
      statusQueries++;
      return statusOf(ids);
    };
    store.approvals.get = (id) => {
      reads++;
      return get(id);
    };
    const waits = reqs.map((r) => waitForDecision(store.approvals, r.id, { timeoutMs: 60_000, pollMs: 20, signal: ac.signal }));
    const ui = openStore(home);
    ui.approvals.decide(reqs[3]!.id, 'approved');
    ui.approvals.decide(reqs[500]!.id, 'denied');
    ui.close();
    const decided = await Promise.all([waits[3], waits[500]]);
    expect(decided.map((r) => r!.status)).toEqual(['approved', 'denied']);
    await new Promise((r) => setTimeout(r, 200));
    // About 10 polls in 200 ms; each read whole only the first time and when decided.
    expect(statusQueries).toBeGreaterThan(2);
    expect(statusQueries).toBeLessThan(40);
    expect(reads).toBe(1000 + 2);
    ac.abort();
    const rest = await Promise.all(waits);
    expect(rest.filter((r) => r.status === 'pending')).toHaveLength(998);
    const after = statusQueries;
    await new Promise((r) => setTimeout(r, 100));
    expect(statusQueries).toBe(after);
  });

  it('expires each at its own deadline while others keep waiting', async () => {
    const a = create();
    const b = create();
    const ac = new AbortController();
    const t0 = Date.now();
    const wa = waitForDecision(store.approvals, a.id, { timeoutMs: 60, pollMs: 1000 });
    const wb = waitForDecision(store.approvals, b.id, { timeoutMs: 60_000, pollMs: 1000, signal: ac.signal });
    expect((await wa).status).toBe('expired');
    expect(Date.now() - t0).toBeLessThan(900);
    expect(store.approvals.get(b.id)?.status).toBe('pending');
    ac.abort();
    expect((await wb).status).toBe('pending');
  });

  it('refuses an unknown id at once', async () => {
    await expect(waitForDecision(store.approvals, 'no-such-id', { timeoutMs: 1000 })).rejects.toThrow(/no approval request with id no-such-id/);
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
    applyError: null,
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
