// Per-component secrets as the application offers them: set, list and delete, each bound to the identity of the
// component recorded under the id and each making every process's sandbox for it pick up the change.
import { unknownComponent } from '../errors.js';
import type { SecretStore } from '../sandbox/secrets.js';
import { normalizeEnvKey } from '../sandbox/grants.js';
import type { Store } from '../store/db.js';
import { claimSecrets, sameIdentity, type Identity } from './carry-over.js';

export interface SecretsOwner extends Identity {
  /** Is the owner the component loaded under the id now (the only one that sees them)? */
  loaded: boolean;
}

export interface SecretsDeps {
  store: Store;
  files: SecretStore;
  invalidate(id: string): void;
  /** Keys the component may read now (its effective environment policy). */
  grantedKeys(id: string): Set<string>;
}

export class Secrets {
  readonly #d: SecretsDeps;

  constructor(deps: SecretsDeps) {
    this.#d = deps;
  }

  #requireRecorded(id: string): Identity {
    const record = this.#d.store.components.get(id);
    if (!record) throw unknownComponent(id);
    return record;
  }

  /**
   * Secrets live in files, outside SQLite: the audit row is what moves the database's change counter, so a server
   * in another process rebuilds the component's sandbox on its next call; this process forgets its copy now.
   */
  #changed(id: string, outcome: 'secret-set' | 'secret-deleted', keys: string[]): void {
    this.#d.store.audit.append({ componentId: id, outcome, capability: 'environment', target: keys.join(','), detail: `${keys.length} secret(s) by user` });
    this.#d.invalidate(id);
  }

  /** Sets values for the component loaded under `id`; returns the keys it cannot read yet (no environment grant). */
  set(id: string, values: Record<string, string>): { keys: string[]; ungranted: string[] } {
    for (const k of Object.keys(values)) normalizeEnvKey(k);
    const loaded = this.#requireRecorded(id);
    // Secrets left by other code under this id are deleted, never handed to this component.
    claimSecrets(this.#d.store, this.#d.files, id, loaded);
    this.#d.files.set(id, values);
    const keys = Object.keys(values).sort();
    this.#changed(id, 'secret-set', keys);
    const granted = this.#d.grantedKeys(id);
    return { keys, ungranted: keys.filter((k) => !granted.has(k)) };
  }

  /** The keys stored for `id` (values are never returned) and who they belong to; works after an unload too. */
  list(id: string): { keys: string[]; owner?: SecretsOwner } {
    const owner = this.#d.store.secretOwners.get(id);
    const keys = this.#d.files.list(id);
    if (!owner && keys.length === 0) this.#requireRecorded(id);
    if (!owner) return { keys };
    return { keys, owner: { source: owner.source, digest: owner.digest, loaded: sameIdentity(owner, this.#d.store.components.get(id)) } };
  }

  /** Deletes the named keys; returns those removed and those that were not there. */
  delete(id: string, keys: readonly string[]): { removed: string[]; missing: string[] } {
    for (const k of keys) normalizeEnvKey(k);
    if (!this.#d.store.secretOwners.get(id) && this.#d.files.list(id).length === 0) this.#requireRecorded(id);
    const removed = this.#d.files.delete(id, keys);
    if (removed.length > 0) this.#changed(id, 'secret-deleted', removed);
    return { removed, missing: keys.filter((k) => !removed.includes(k)) };
  }
}
