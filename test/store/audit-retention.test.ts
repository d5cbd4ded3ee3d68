import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { AuditQueue } from '../../src/core/audit-queue.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function home(): string {
  const h = mkdtempSync(join(tmpdir(), 'wassette-audit-'));
  homes.push(h);
  return h;
}

describe('audit retention', () => {
  it('keeps at most max_rows rows (plus one batch) however many calls are logged', () => {
    const store = openStore(home());
    const q = new AuditQueue(
      store,
      (e) => {
        throw e;
      },
      { maxRows: 50, maxAgeMs: 1e12, everyBatches: 1 },
    );
    for (let i = 0; i < 100; i++) {
      q.push(...Array.from({ length: 10 }, () => ({ outcome: 'denied', target: 'x'.repeat(1 << 20) })));
      q.flush();
    }
    const rows = store.db.prepare('SELECT COUNT(*) FROM audit').pluck().get() as number;
    expect(rows).toBeLessThanOrEqual(60);
    const maxTarget = store.db.prepare('SELECT MAX(LENGTH(target)) FROM audit').pluck().get() as number;
    expect(maxTarget).toBeLessThan(4200);
    expect(store.audit.query({ limit: 5 })).toHaveLength(5);
    store.close();
  });

  it('drops rows older than max_age', () => {
    const store = openStore(home());
    store.audit.append({ outcome: 'ok', ts: 1 });
    store.audit.append({ outcome: 'ok', ts: Date.now() });
    expect(store.audit.prune({ maxRows: 1000, maxAgeMs: 24 * 3600_000 })).toBe(1);
    expect(store.audit.query()).toHaveLength(1);
    store.close();
  });
});
