// Serves components recorded in the store again (start-up, and loads made by other processes), from
// the blob and transpile caches; bytes lost from the cache are fetched again from the recorded source.
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { BlobStore } from '../oci/blob-store.js';
import type { ComponentRuntime } from '../runtime/component-runtime.js';
import type { Store } from '../store/db.js';
import type { Catalog } from './catalog.js';
import { describeFetched, transpile } from './component-loader.js';
import type { FetchedComponent } from './fetch-component.js';

export type StoredComponent = ReturnType<Store['components']['list']>[number];

export interface RestorerDeps {
  store: Store;
  blobs: BlobStore;
  runtime: ComponentRuntime;
  catalog: Catalog;
  log: Logger;
  /** The store's external change counter (default: read it each time). */
  generation?: () => number;
  /** Fetches and verifies a source as a new load would. */
  fetch(source: string): Promise<FetchedComponent>;
  /** Called when a repaired component is served again (tool names and list_changed). */
  onRepaired(): void;
}

export class Restorer {
  /** Recorded components that cannot be served right now, with the reason. */
  private readonly unavailable = new Map<string, string>();
  private readonly repairs = new Set<Promise<void>>();

  private syncedGeneration = -1;
  private syncing: Promise<boolean> | undefined;

  private readonly generation: () => number;

  constructor(private readonly deps: RestorerDeps) {
    this.generation = deps.generation ?? (() => deps.store.externalChangeCounter());
  }

  async restoreAll(): Promise<void> {
    for (const record of this.deps.store.components.list()) await this.restore(record);
    this.syncedGeneration = this.generation();
  }

  /**
   * Brings the catalog in line with the store after another process changed it (SQLite's change
   * counter says when): serves new records, drops removed or replaced ones. True when anything changed.
   */
  sync(): Promise<boolean> {
    const generation = this.generation();
    if (generation === this.syncedGeneration) return this.syncing ?? Promise.resolve(false);
    this.syncedGeneration = generation;
    const run = async (): Promise<boolean> => {
      const { catalog, runtime, store } = this.deps;
      const records = store.components.list();
      const stored = new Map(records.map((r) => [r.id, r]));
      let changed = false;
      for (const c of catalog.list()) {
        if (stored.get(c.id)?.digest === c.digest) continue;
        await runtime.unload(c.id);
        catalog.remove(c.id);
        changed = true;
      }
      for (const record of records) {
        if (catalog.has(record.id)) continue;
        await this.restore(record);
        changed = true;
      }
      return changed;
    };
    this.syncing = run().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  async restore(record: StoredComponent): Promise<void> {
    const bytes = await this.deps.blobs.get(record.digest).catch(() => undefined);
    if (!bytes) {
      // Lost from the cache (disk cleanup, a manual delete): fetch it again in the background so
      // start-up stays fast; the tools come back, with list_changed, once the same digest is found.
      this.unavailable.set(record.id, `cached bytes for ${record.digest} are missing; fetching them again from ${record.source}`);
      const repairing: Promise<void> = this.repair(record).finally(() => this.repairs.delete(repairing));
      this.repairs.add(repairing);
      return;
    }
    await this.serve(record, bytes).catch((e: unknown) => this.markUnavailable(record, e));
  }

  /** Recorded components not being served, and why. */
  unavailableComponents(): Array<{ record: StoredComponent; error: string }> {
    return [...this.unavailable].flatMap(([id, error]) => {
      const record = this.deps.store.components.get(id);
      return record && !this.deps.catalog.has(id) ? [{ record, error }] : [];
    });
  }

  forget(id: string): void {
    this.unavailable.delete(id);
  }

  /** Waits for background repairs (before closing the store). */
  async settle(): Promise<void> {
    await Promise.all(this.repairs);
  }

  private async serve(record: StoredComponent, bytes: Uint8Array): Promise<void> {
    const fetched: FetchedComponent = { bytes, digest: record.digest, source: record.source, warnings: [] };
    if (record.verification) fetched.verification = record.verification as NonNullable<FetchedComponent['verification']>;
    const { component } = describeFetched(record.id, fetched, record.loadedAt);
    await transpile(this.deps.runtime, record.digest, bytes, this.deps.blobs.path(record.digest));
    this.deps.catalog.put(component);
    this.unavailable.delete(record.id);
  }

  private markUnavailable(record: StoredComponent, e: unknown): void {
    this.unavailable.set(record.id, errorMessage(e));
    this.deps.log.error(`cannot serve component ${record.id} (${record.source}): ${errorMessage(e)}; unload it or load it again`);
  }

  /** Fetches a component whose cached bytes are gone from its recorded source, accepting only the recorded digest. */
  private async repair(record: StoredComponent): Promise<void> {
    try {
      const fetched = await this.deps.fetch(record.source);
      if (fetched.digest !== record.digest) {
        throw new WassetteError(
          ErrorCode.DigestMismatch,
          `cached bytes for ${record.digest} are missing and ${record.source} now holds ${fetched.digest}; load it again to accept the new content`,
        );
      }
      await this.deps.blobs.put(fetched.bytes, fetched.digest);
      if (this.deps.store.components.get(record.id)?.digest !== record.digest) return; // unloaded or replaced meanwhile
      await this.serve(record, fetched.bytes);
      this.deps.onRepaired();
      this.deps.log.info(`re-fetched ${record.id} from ${record.source}: its cached bytes were missing`);
    } catch (e) {
      this.markUnavailable(record, e);
    }
  }
}
