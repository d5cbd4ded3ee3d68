// Pure: what a `load_tool` request records and shows: source, digest, signature and signer, publisher annotations,
// the tools it adds, every permission it asks for (new or already held), the agent's reason, and what changed
// against the version of the same source that is loaded now.
import type { RecordedPolicy } from './load-request.js';
import { oneLine } from './one-line.js';
import type { TrustSubject } from './trust-rules.js';

export interface PermissionAsk {
  permission: string;
  /** Already held by the loaded version of this source (policy or grant). */
  held: boolean;
}

export interface ToolLoadPayload {
  ref: string;
  /** Pinned source: what is fetched again if the request is approved from another process. */
  source: string;
  digest: string;
  /** The component id it loads under (as chosen when asked); the audit log files the decision under it. */
  component?: string;
  policy: RecordedPolicy;
  reason?: string;
  signature: string;
  publisher: Record<string, string>;
  tools: Array<{ name: string; description: string }>;
  permissions: PermissionAsk[];
  /** What a trust rule judges: source, signature, the permissions asked for ("approve and trust" makes its rule from it). */
  subject: TrustSubject;
  /** Against the loaded version of the same source, when one is loaded. */
  changes?: {
    from: string;
    toolsAdded: string[];
    toolsRemoved: string[];
    permissionsAdded: string[];
    /** The loaded component this load replaces (same id); absent when the two are loaded side by side. */
    component?: string;
  };
}

const PUBLISHER_KEYS: Record<string, string> = {
  'org.opencontainers.image.description': 'description',
  'org.opencontainers.image.source': 'source repository',
  'org.opencontainers.image.version': 'version',
  'org.opencontainers.image.licenses': 'licence',
  'org.opencontainers.image.vendor': 'vendor',
};

/** The annotations a person judges a publisher by, under readable names. */
export function publisherOf(annotations: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, label] of Object.entries(PUBLISHER_KEYS)) {
    const v = annotations?.[k];
    if (v !== undefined && v !== '') out[label] = oneLine(v, 500);
  }
  return out;
}

export function permissionAsks(requested: readonly string[], held: ReadonlySet<string>): PermissionAsk[] {
  return requested.map((permission) => ({ permission, held: held.has(permission) }));
}

export function changesFrom(
  previous: { digest: string; tools: readonly string[]; permissions: readonly string[] },
  next: { tools: readonly string[]; permissions: readonly string[] },
): NonNullable<ToolLoadPayload['changes']> {
  const before = new Set(previous.tools);
  const after = new Set(next.tools);
  const had = new Set(previous.permissions);
  return {
    from: previous.digest,
    toolsAdded: next.tools.filter((t) => !before.has(t)),
    toolsRemoved: previous.tools.filter((t) => !after.has(t)),
    permissionsAdded: next.permissions.filter((p) => !had.has(p)),
  };
}

/** The prompt: everything the decision is about, one fact per line. */
export function describeToolLoad(p: ToolLoadPayload, requestedBy = 'An agent'): string {
  const lines = [`${requestedBy} asks to load ${oneLine(p.source, 2000)}`, `digest ${p.digest}, ${p.signature}`];
  for (const [k, v] of Object.entries(p.publisher)) lines.push(`${k}: ${v}`);
  lines.push(`tools (${p.tools.length}):`, ...p.tools.map((t) => `  ${t.name}: ${oneLine(t.description.split('\n')[0] ?? '', 120)}`));
  if (p.permissions.length === 0) lines.push('permissions: none (no files, network or environment)');
  else lines.push('permissions:', ...p.permissions.map((a) => `  ${a.permission}${a.held ? ' (already held)' : ' (new)'}`));
  if (p.changes) {
    const c = p.changes;
    lines.push(`replaces the loaded version ${c.from}:`);
    if (c.toolsAdded.length) lines.push(`  tools added: ${c.toolsAdded.join(', ')}`);
    if (c.toolsRemoved.length) lines.push(`  tools removed: ${c.toolsRemoved.join(', ')}`);
    if (c.permissionsAdded.length) lines.push(`  permissions added: ${c.permissionsAdded.join(', ')}`);
    if (!c.toolsAdded.length && !c.toolsRemoved.length && !c.permissionsAdded.length) lines.push('  same tools and permissions');
  }
  if (p.reason) lines.push(`reason given: ${oneLine(p.reason, 500)}`);
  return lines.join('\n');
}
