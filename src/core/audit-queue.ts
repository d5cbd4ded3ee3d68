// Writes audit entries in batches just after the current response goes out, so a component call does not
// wait on an SQLite insert; `flush()` on close writes whatever is left.
import type { AuditInput } from '../store/audit.js';
import type { Store } from '../store/db.js';

/** Retention bound of the audit table; pruned a chunk at a time after every `everyBatches` batches. */
export interface AuditRetention {
  maxRows: number;
  maxAgeMs: number;
  everyBatches: number;
}

export const DEFAULT_AUDIT_RETENTION: AuditRetention = { maxRows: 100_000, maxAgeMs: 30 * 24 * 3600_000, everyBatches: 16 };

export class AuditQueue {
  private pending: AuditInput[] = [];
  private scheduled = false;
  private batches = 0;

  constructor(
    private readonly store: Store,
    private readonly onError: (e: unknown) => void,
    private readonly retention: AuditRetention = DEFAULT_AUDIT_RETENTION,
  ) {}

  push(...entries: AuditInput[]): void {
    const ts = Date.now();
    for (const e of entries) this.pending.push(e.ts === undefined ? { ...e, ts } : e);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      this.store.db.transaction(() => {
        for (const e of batch) this.store.audit.append(e);
      })();
      // The first batch prunes too, so a low bound holds right after a restart.
      if (this.batches++ % Math.max(1, this.retention.everyBatches) === 0) {
        this.store.audit.prune({ maxRows: this.retention.maxRows, maxAgeMs: this.retention.maxAgeMs });
        // Keeps the WAL from growing past what the pruned table needs (SQLite's auto-checkpoint never truncates it).
        this.store.db.pragma('wal_checkpoint(TRUNCATE)');
      }
    } catch (e) {
      this.onError(e);
    }
  }
}
