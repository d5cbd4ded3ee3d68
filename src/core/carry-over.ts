// Grants and secrets belong to a component identity (source + digest): what a load keeps and what it drops.
import type { Store } from '../store/db.js';
import type { SecretStore } from '../sandbox/secrets.js';

export interface Identity {
  source: string;
  digest: string;
}

/** Pure: the same component means the same bytes from the same source; anything else is other code. */
export function sameIdentity(a: Identity | undefined, b: Identity | undefined): boolean {
  return a !== undefined && b !== undefined && a.source === b.source && a.digest === b.digest;
}

/** The id's secrets, only when they were given to the component recorded under the id now. */
export function secretsFor(store: Store, secrets: SecretStore, id: string): Record<string, string> {
  const record = store.components.get(id);
  return sameIdentity(record, store.secretOwners.get(id)) ? secrets.getAll(id) : {};
}

/**
 * Makes `id`'s secrets belong to `next`: secrets given to another identity (or to none recorded) are
 * deleted first, so no moment exists where the old values are attributed to the new code. Returns
 * the keys that were dropped.
 */
export function claimSecrets(store: Store, secrets: SecretStore, id: string, next: Identity): string[] {
  if (sameIdentity(store.secretOwners.get(id), next)) return [];
  const dropped = secrets.delete(id);
  store.secretOwners.set({ componentId: id, source: next.source, digest: next.digest });
  return dropped;
}

/**
 * After the components row of `id` now names `next`: drops the grants and secrets given to a
 * previous, different component under the same id, audits it, and says so (undefined when none).
 */
export function dropForeignRights(store: Store, secrets: SecretStore, id: string, next: Identity): string | undefined {
  const grants = store.db.transaction(() => store.grants.dropForeign(id)).immediate();
  const keys = claimSecrets(store, secrets, id, next);
  if (grants === 0 && keys.length === 0) return undefined;
  const message = `${grants} grant${grants === 1 ? '' : 's'} and ${keys.length} secret${keys.length === 1 ? '' : 's'} of the previous component were not carried over (they belong to other code than ${next.digest})`;
  store.audit.append({ componentId: id, outcome: 'rights-dropped', capability: 'component', target: keys.join(','), detail: message });
  return message;
}
