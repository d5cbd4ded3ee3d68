// Pure: starting policy + grants -> effective policy -> the SandboxSpec a worker enforces.
import type { FsPreopen, SandboxSpec } from './spec.js';
import { normalizeMemoryLimit, normalizeStorageUri, type Grant } from './grants.js';
import { emptyPolicy, type NetworkRule, type Policy, type StorageRule } from './policy.js';
import { ACCESS_VALUES } from './grants.js';

function clone(p: Policy): Policy {
  return {
    ...p,
    storage: { allow: p.storage.allow.map((r) => ({ ...r, access: [...r.access] })), deny: p.storage.deny.map((r) => ({ ...r, access: [...r.access] })) },
    network: { allow: p.network.allow.map((r) => ({ ...r })), deny: p.network.deny.map((r) => ({ ...r })) },
    environment: { allow: p.environment.allow.map((r) => ({ ...r })) },
    limits: { ...p.limits },
  };
}

const sameNet = (a: NetworkRule, b: NetworkRule): boolean =>
  ('host' in a && 'host' in b && a.host === b.host) || ('cidr' in a && 'cidr' in b && a.cidr === b.cidr);

/**
 * The policy a component runs under: its starting policy (deny-all when undefined) widened by the
 * grants, in order. A storage grant on a path already allowed unions the access; a memory grant
 * replaces the memory limit. The inputs are not modified.
 */
export function effectivePolicy(base: Policy | undefined, grants: readonly Grant[]): Policy {
  const p = base ? clone(base) : emptyPolicy();
  for (const g of grants) {
    switch (g.kind) {
      case 'storage': {
        const { uri, path } = normalizeStorageUri(g.uri);
        const existing = p.storage.allow.find((r) => r.path === path);
        if (existing) existing.access = ACCESS_VALUES.filter((a) => existing.access.includes(a) || g.access.includes(a));
        else p.storage.allow.push({ uri, path, access: [...g.access] });
        break;
      }
      case 'network':
        if (!p.network.allow.some((r) => sameNet(r, { host: g.host }))) p.network.allow.push({ host: g.host });
        break;
      case 'environment':
        if (!p.environment.allow.some((r) => r.key === g.key)) p.environment.allow.push({ key: g.key });
        break;
      case 'memory':
        p.limits.memory = g.limit;
        p.limits.memoryBytes = normalizeMemoryLimit(g.limit).bytes;
        break;
    }
  }
  return p;
}

export interface SpecInputs {
  /** The server's environment; consulted for granted keys that have no secret. */
  env: Readonly<Record<string, string | undefined>>;
  /** The component's secrets (SecretStore.getAll); they win over the server environment. */
  secrets: Readonly<Record<string, string>>;
  defaults: { timeoutMs: number; memoryBytes: number; maxOutputBytes: number };
  /** The most any component gets, whatever its policy or grants say. */
  ceiling: { timeoutMs: number; memoryBytes: number };
}

/** Lines naming each limit the policy asks for above the ceiling (it runs at the ceiling instead); empty when none. */
export function limitsAboveCeiling(policy: Policy, ceiling: SpecInputs['ceiling']): string[] {
  const out: string[] = [];
  if (policy.limits.memoryBytes !== undefined && policy.limits.memoryBytes > ceiling.memoryBytes) {
    out.push(`memory limit ${policy.limits.memory ?? policy.limits.memoryBytes} is above max_memory_limit (${ceiling.memoryBytes} bytes)`);
  }
  if (policy.limits.timeoutMs !== undefined && policy.limits.timeoutMs > ceiling.timeoutMs) {
    out.push(`call timeout ${policy.limits.timeoutMs} ms is above max_call_timeout_ms (${ceiling.timeoutMs} ms)`);
  }
  return out;
}

const isUnder = (path: string, dir: string): boolean => dir === '/' || path === dir || path.startsWith(`${dir}/`);

/** Does a deny host pattern cover an allowed host pattern? */
export function hostPatternCovers(deny: string, host: string): boolean {
  if (deny === '*') return true;
  if (deny === host) return true;
  if (deny.startsWith('*.')) return host.endsWith(deny.slice(1));
  return false;
}

/**
 * Resolves an effective policy into what the worker enforces. Storage rules become preopens (read and
 * write merged per path); a deny rule on the same path or a parent removes that access. Environment
 * keys take their value from secrets first, then the server env; keys with no value are left out.
 * Network hosts are copied minus those a deny rule covers; CIDR ranges are left out (the host
 * filter matches names and literal addresses only; see unenforcedRules).
 * Limits: the policy's (or a memory grant's) value overrides the server default, so a user who
 * approved a component's policy can give it more than the default; max output is always the server's.
 */
export function toSandboxSpec(policy: Policy, inputs: SpecInputs): SandboxSpec {
  const byPath = new Map<string, FsPreopen>();
  for (const r of policy.storage.allow) {
    const cur = byPath.get(r.path) ?? { path: r.path, read: false, write: false };
    cur.read ||= r.access.includes('read');
    cur.write ||= r.access.includes('write');
    byPath.set(r.path, cur);
  }
  for (const d of policy.storage.deny) {
    for (const pre of byPath.values()) {
      if (!isUnder(pre.path, d.path)) continue;
      if (d.access.includes('read')) pre.read = false;
      if (d.access.includes('write')) pre.write = false;
    }
  }
  const preopens = [...byPath.values()].filter((p) => p.read || p.write).sort((a, b) => a.path.localeCompare(b.path));

  const env: Record<string, string> = {};
  for (const { key } of policy.environment.allow) {
    const value = Object.hasOwn(inputs.secrets, key) ? inputs.secrets[key] : inputs.env[key];
    if (value !== undefined) env[key] = value;
  }

  const denyHosts = policy.network.deny.flatMap((r) => ('host' in r ? [r.host] : []));
  const networkAllow = [
    ...new Set(
      policy.network.allow.flatMap((r) => {
        if ('cidr' in r) return [];
        return denyHosts.some((d) => hostPatternCovers(d, r.host)) ? [] : [r.host];
      }),
    ),
  ];

  return {
    preopens,
    env,
    networkAllow,
    timeoutMs: Math.min(policy.limits.timeoutMs ?? inputs.defaults.timeoutMs, inputs.ceiling.timeoutMs),
    memoryBytes: Math.min(policy.limits.memoryBytes ?? inputs.defaults.memoryBytes, inputs.ceiling.memoryBytes),
    maxOutputBytes: inputs.defaults.maxOutputBytes,
  };
}

export interface UnenforcedRule {
  capability: 'storage' | 'network';
  list: 'allow' | 'deny';
  rule: StorageRule | NetworkRule;
  reason: string;
}

/**
 * Rules the SandboxSpec cannot express: a storage deny strictly inside an allowed directory (the
 * preopen still covers it), a host deny inside an allowed wildcard, and CIDR rules (an allowed range
 * grants nothing, a denied one restricts nothing). Report these to the user (e.g. on load and in
 * get_policy) rather than pretending they hold.
 */
export function unenforcedRules(policy: Policy): UnenforcedRule[] {
  const out: UnenforcedRule[] = [];
  for (const d of policy.storage.deny) {
    const inside = policy.storage.allow.find((a) => a.path !== d.path && isUnder(d.path, a.path) && a.access.some((x) => d.access.includes(x)));
    if (inside)
      out.push({
        capability: 'storage',
        list: 'deny',
        rule: d,
        reason: `${d.path} lies inside the allowed directory ${inside.path}; access is granted per directory`,
      });
  }
  for (const a of policy.network.allow) {
    if ('cidr' in a)
      out.push({
        capability: 'network',
        list: 'allow',
        rule: a,
        reason: `CIDR range ${a.cidr} is not supported and allows nothing; list hosts or addresses instead`,
      });
  }
  for (const d of policy.network.deny) {
    if ('cidr' in d) {
      out.push({
        capability: 'network',
        list: 'deny',
        rule: d,
        reason: `CIDR range ${d.cidr} is not enforced as a deny rule; only allowed hosts are reachable anyway`,
      });
      continue;
    }
    const wider = policy.network.allow.find((a) => 'host' in a && a.host !== d.host && hostPatternCovers(a.host, d.host) && !hostPatternCovers(d.host, a.host));
    if (wider && 'host' in wider) out.push({ capability: 'network', list: 'deny', rule: d, reason: `${d.host} is inside the allowed pattern ${wider.host}` });
  }
  return out;
}
