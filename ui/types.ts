// The plain data the approvals UI shows and the one port it reads and acts through (see adapter.ts).
import type { TrustRule } from '../src/approvals/trust-rules.js';
import type { ApprovalRequest } from '../src/store/approvals.js';
import type { AuditEntry } from '../src/store/audit.js';

export type { ApprovalRequest, AuditEntry, TrustRule };

export const VIEWS = ['pending', 'components', 'trust', 'audit'] as const;
export type ViewName = (typeof VIEWS)[number];

/** A loaded (or recorded but unavailable) component with what it may do. */
export interface ComponentInfo {
  id: string;
  source: string;
  digest: string;
  tools: string[];
  /** One line: `verified (cosign) by x`, `unsigned`, `failed: ...`. */
  signature: string;
  /** Why it cannot be served right now, when it cannot. */
  unavailable?: string;
  /** The effective policy (starting policy + grants) as YAML; empty when it cannot be read. */
  policyYaml: string;
  /** One line per grant added to the starting policy. */
  grants: string[];
}

export interface AuditFilter {
  componentId?: string;
  outcome?: string;
}

export interface Snapshot {
  pending: ApprovalRequest[];
  components: ComponentInfo[];
  trust: TrustRule[];
  /** Newest first, filtered by the current audit filter. */
  audit: AuditEntry[];
  /** The core is still starting: components are not known yet (the rest is read from the store directly). */
  starting?: boolean;
}

/** Loads: approve once, or approve and trust the publisher. Grants: approve always, or for this session only. Deny. */
export type Choice = 'approve' | 'trust' | 'session' | 'deny';

/** What came of a decision, shown to the user. */
export interface DecisionOutcome {
  requestId: string;
  choice: Choice;
  /** The request's status afterwards (approved, denied) or `error`. */
  status: string;
  applied: boolean;
  /** How an approval was scoped: once, trust (loads), always, session (grants). */
  scope?: string;
  note?: string;
  rule?: TrustRule;
  at: number;
}

/** Everything the UI reads and does; the real one wraps the application core, tests pass plain data. */
export interface UiData {
  snapshot(filter: AuditFilter): Promise<Snapshot>;
  decide(id: string, choice: Choice): Promise<DecisionOutcome>;
  /** Revokes a trust rule; resolves with a line saying what was revoked. */
  revokeTrust(id: string): Promise<string>;
}
