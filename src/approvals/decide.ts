// The user's decision on a request, recorded and carried out at once in the deciding process (CLI or UI), so it
// holds when no server is running; a server waiting on the same request finds it done (each step claims first).
import { ErrorCode, errorMessage, WassetteError } from '../errors.js';
import type { ApprovalRequest, ApprovalScope, ApprovalsTable } from '../store/approvals.js';
import { PENDING_TTL_MS, expireStale } from './queue.js';
import type { TrustRule } from './trust-rules.js';

export interface DecideResult {
  request: ApprovalRequest;
  /** Whether what was approved is now in effect (a grant applied, a component loaded). */
  applied: boolean;
  note?: string;
  /** The rule stored by "approve and trust". */
  rule?: TrustRule;
}

export interface DecideOptions {
  /** Loads: also trust this publisher (store the rule made from the request). */
  trust?: boolean;
  /** Grants: for the asking server's session only, or always (the default). */
  scope?: 'session' | 'always';
}

/** What carrying out an approved request needs; the application core provides it. */
export interface DecisionTarget {
  approvals: ApprovalsTable;
  /** Loads an approved load request; undefined when another process already did. */
  completeLoad(request: ApprovalRequest): Promise<{ id: string; tools: string[] } | undefined>;
  /** Applies an approved grant request (exactly once across processes); throws when it cannot. */
  applyGrant(requestId: string): void;
  /** Stores the trust rule made from an approved load request. */
  trust(request: ApprovalRequest): TrustRule;
  /** Throws when the request cannot ground a trust rule (checked before deciding, so a refusal decides nothing). */
  checkTrustable(request: ApprovalRequest): void;
}

function scopeFor(request: ApprovalRequest | undefined, approve: boolean, o: DecideOptions): ApprovalScope | null {
  if (!approve || !request) return null;
  if (request.kind === 'grant') {
    if (o.trust) throw new WassetteError(ErrorCode.InvalidArgument, `request ${request.id} is a grant; --trust applies to loads`);
    return o.scope ?? 'always';
  }
  if (o.scope) throw new WassetteError(ErrorCode.InvalidArgument, `request ${request.id} is a load; a scope (session/always) applies to grants`);
  return o.trust ? 'trust' : 'once';
}

/**
 * Records `approve`/deny for request `id` by `decidedBy`, then carries an approval out: a grant is applied, a load
 * fetched again by its pinned source, checked against the approved digest and registered. A failure to carry it
 * out leaves the decision standing and says why in `note`.
 */
export async function decideRequest(t: DecisionTarget, id: string, approve: boolean, decidedBy: string, o: DecideOptions = {}): Promise<DecideResult> {
  // A request left behind by a server that stopped can no longer be carried out: refuse it as expired.
  expireStale(t.approvals, PENDING_TTL_MS);
  const before = t.approvals.get(id);
  const scope = scopeFor(before, approve, o);
  if (scope === 'trust' && before) t.checkTrustable(before);
  const decided = t.approvals.decide(id, approve ? 'approved' : 'denied', decidedBy, Date.now(), scope);
  if (!approve) return { request: decided, applied: false };
  const rule = scope === 'trust' ? t.trust(decided) : undefined;
  const result = await carryOut(t, id, decided);
  return rule ? { ...result, rule } : result;
}

async function carryOut(t: DecisionTarget, id: string, request: ApprovalRequest): Promise<DecideResult> {
  const now = (): ApprovalRequest => t.approvals.get(id) ?? request;
  if (request.kind !== 'grant') {
    try {
      const loaded = await t.completeLoad(request);
      if (!loaded) return { request: now(), applied: true, note: 'the server that asked loaded the component' };
      return { request: now(), applied: true, note: `loaded ${loaded.id}: ${loaded.tools.join(', ')}` };
    } catch (e) {
      return { request, applied: false, note: `approved, but the component could not be loaded: ${errorMessage(e)}` };
    }
  }
  try {
    t.applyGrant(id);
    return { request: now(), applied: true };
  } catch (e) {
    // e.g. the component was unloaded meanwhile: the decision stands, the grant has nothing to attach to.
    return { request, applied: false, note: `approved, but the grant could not be applied: ${errorMessage(e)}` };
  }
}
