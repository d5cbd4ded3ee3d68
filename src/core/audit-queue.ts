// Writes audit entries in batches shortly after the responses they belong to have gone out, so a component
// call neither waits on an SQLite insert nor shares its core with one; `flush()` on close writes whatever is left.
import type { AuditInput } from '../store/audit.js';
import type { Store } from '../store/db.js';

/** Retention bound of the audit table; pruned a chunk at a time after every `everyBatches` batches. */
export interface AuditRetention {
  maxRows: number;
  maxAgeMs: number;
  everyBatches: number;
}

export const DEFAULT_AUDIT_RETENTION: AuditRetention = { maxRows: 100_000, maxAgeMs: 30 * 24 * 3600_000, everyBatches: 16 };

export interface AuditBatching {
  /**
   * How long the first entry of a batch waits for others. A client calling in a loop sends its next request
   * well within this, so one transaction covers many calls and runs while the server would otherwise be idle
   * between two of them, not right behind each response (on 2 cores that delayed the client). It is also what
   * a killed (not closed) process can lose; `flush()` on close loses nothing.
   */
  delayMs: number;
  /** Pending entries that trigger a write at once, so a flood never holds much in memory. */
  maxPending: number;
}

export const DEFAULT_AUDIT_BATCHING: AuditBatching = { delayMs: 20, maxPending: 512 };

export class AuditQueue {
  private pending: AuditInput[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate = false;
  private batches = 0;

  constructor(
    private readonly store: Store,
    private readonly onError: (e: unknown) => void,
    private readonly retention: AuditRetention = DEFAULT_AUDIT_RETENTION,
    private readonly batching: AuditBatching = DEFAULT_AUDIT_BATCHING,
  ) {}

  push(...entries: AuditInput[]): void {
    const ts = Date.now();
    for (const e of entries) this.pending.push(e.ts === undefined ? { ...e, ts } : e);
    if (this.pending.length >= this.batching.maxPending) {
      // Still after the current response: it is sent in a microtask of the handler that pushed.
      if (!this.immediate) setImmediate(() => this.flush());
      this.immediate = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.batching.delayMs);
  }

  /** Entries pushed but not yet written (for tests). */
  get pendingCount(): number {
    return this.pending.length;
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.immediate = false;
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
