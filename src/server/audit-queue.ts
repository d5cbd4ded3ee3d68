// Writes audit entries in batches just after the current response goes out, so a component call does not
// wait on an SQLite insert; `flush()` on close writes whatever is left.
import type { AuditInput } from '../store/audit.js';
import type { Store } from '../store/db.js';

export class AuditQueue {
  private pending: AuditInput[] = [];
  private scheduled = false;

  constructor(private readonly store: Store, private readonly onError: (e: unknown) => void) {}

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
    } catch (e) {
      this.onError(e);
    }
  }
}
