// Pure: what a component's starting policy asks for, as short lines a person (or the search index) can read.
import type { Policy } from './policy.js';

/** `storage fs:///data (read, write)`, `network api.example.com`, `environment API_KEY`, ... in policy order. */
export function requestedPermissions(policy: Policy | undefined): string[] {
  if (!policy) return [];
  return [
    ...policy.storage.allow.map((r) => `storage ${r.uri} (${r.access.join(', ')})`),
    ...policy.network.allow.map((r) => ('host' in r ? `network ${r.host}` : `network ${r.cidr}`)),
    ...policy.environment.allow.map((r) => `environment ${r.key}`),
  ];
}
