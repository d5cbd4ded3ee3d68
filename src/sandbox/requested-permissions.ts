// Pure: what a component's starting policy asks for, as short lines a person (or the search index) can read.
// Raised limits count too: a policy that asks for more memory or a longer call timeout than the server's default asks
// for resources, and a trust rule's ceiling caps them like any other permission.
import { parseMemoryQuantity } from '../config.js';
import { formatDuration, parseDuration, type Policy } from './policy.js';

const MEMORY = 'memory limit ';
const TIMEOUT = 'call timeout ';

/**
 * `storage fs:///data (read, write)`, `network api.example.com`, `environment API_KEY`, `memory limit 1Gi`,
 * `call timeout 2m`, ... in policy order.
 */
export function requestedPermissions(policy: Policy | undefined): string[] {
  if (!policy) return [];
  return [
    ...policy.storage.allow.map((r) => `storage ${r.uri} (${r.access.join(', ')})`),
    ...policy.network.allow.map((r) => ('host' in r ? `network ${r.host}` : `network ${r.cidr}`)),
    ...policy.environment.allow.map((r) => `environment ${r.key}`),
    ...(policy.limits.memory !== undefined ? [`${MEMORY}${policy.limits.memory}`] : []),
    ...(policy.limits.timeoutMs !== undefined ? [`${TIMEOUT}${formatDuration(policy.limits.timeoutMs)}`] : []),
  ];
}

/** A limit line read back as an amount (bytes or milliseconds); undefined for other permissions or unreadable ones. */
export function limitAsk(permission: string): { limit: 'memory' | 'timeout'; amount: number } | undefined {
  try {
    if (permission.startsWith(MEMORY)) return { limit: 'memory', amount: parseMemoryQuantity(permission.slice(MEMORY.length), 'memory limit') };
    if (permission.startsWith(TIMEOUT)) return { limit: 'timeout', amount: parseDuration(permission.slice(TIMEOUT.length)) };
  } catch {
    return undefined;
  }
  return undefined;
}

/** Whether `asked` is within `allowed`: the same line, or a limit of the same kind no larger than an allowed one. */
export function permissionWithin(asked: string, allowed: readonly string[]): boolean {
  if (allowed.includes(asked)) return true;
  const a = limitAsk(asked);
  if (!a) return false;
  return allowed.some((p) => {
    const b = limitAsk(p);
    return b !== undefined && b.limit === a.limit && a.amount <= b.amount;
  });
}
