import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditQueue } from '../../src/core/audit-queue.js';
import { openStore, type Store } from '../../src/store/db.js';

describe('AuditQueue', () => {
  let home: string;
  let store: Store;
  afterEach(() => {
    try {
      store.close();
    } catch {
      // already closed by the test
    }
    rmSync(home, { recursive: true, force: true });
  });
  const open = () => {
    home = mkdtempSync(join(tmpdir(), 'audit-queue-'));
    store = openStore(home);
  };

  it('writes nothing during the call and everything one batch delay later, stamped at push time', async () => {
    open();
    const q = new AuditQueue(
      store,
      (e) => {
        throw e;
      },
      undefined,
      { delayMs: 30, maxPending: 100 },
    );
    const before = Date.now();
    q.push({ componentId: 'c', tool: 't', outcome: 'ok' }, { componentId: 'c', tool: 't', outcome: 'denied', capability: 'network', target: 'x:443' });
    expect(store.audit.query({})).toHaveLength(0);
    // A response goes out in a microtask; the insert is not right behind it but batched with the next calls.
    await new Promise((r) => setImmediate(r));
    q.push({ componentId: 'c', tool: 't', outcome: 'ok' });
    expect(store.audit.query({})).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 150));
    const rows = store.audit.query({});
    expect(rows.map((r) => r.outcome).sort()).toEqual(['denied', 'ok', 'ok']);
    expect(rows.every((r) => r.ts >= before && r.ts <= Date.now())).toBe(true);
    expect(q.pendingCount).toBe(0);
  });

  it('writes at once (after the current turn) when maxPending entries are waiting', async () => {
    open();
    const q = new AuditQueue(store, () => undefined, undefined, { delayMs: 60_000, maxPending: 3 });
    q.push({ componentId: 'c', outcome: 'ok' }, { componentId: 'c', outcome: 'ok' });
    await new Promise((r) => setImmediate(r));
    expect(store.audit.query({})).toHaveLength(0);
    q.push({ componentId: 'c', outcome: 'ok' });
    expect(store.audit.query({})).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    expect(store.audit.query({})).toHaveLength(3);
    expect(q.pendingCount).toBe(0);
  });

  it('flush() on close writes what is pending synchronously', () => {
    open();
    const q = new AuditQueue(store, () => undefined);
    q.push({ componentId: 'c', outcome: 'ok' });
    q.flush();
    expect(store.audit.query({})).toHaveLength(1);
  });

  it('reports a failed batch instead of throwing', async () => {
    open();
    const errors: unknown[] = [];
    const q = new AuditQueue(store, (e) => errors.push(e));
    q.push({ componentId: 'c', outcome: 'ok' });
    store.close();
    q.flush();
    expect(errors).toHaveLength(1);
  });
});
