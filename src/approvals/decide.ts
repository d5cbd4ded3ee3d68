// The user's decision on a request, recorded and carried out at once in the deciding process (CLI or UI), so it
// holds when no server is running; a server waiting on the same request finds it done (each step claims first).
import { errorMessage } from '../errors.js';
import type { ApprovalRequest, ApprovalsTable } from '../store/approvals.js';
import { PENDING_TTL_MS, expireStale } from './queue.js';

export interface DecideResult {
  request: ApprovalRequest;
  /** Whether what was approved is now in effect (a grant applied, a component loaded). */
  applied: boolean;
  note?: string;
}

/** What carrying out an approved request needs; the application core provides it. */
export interface DecisionTarget {
  approvals: ApprovalsTable;
  /** Loads an approved load request; undefined when another process already did. */
  completeLoad(request: ApprovalRequest): Promise<{ id: string; tools: string[] } | undefined>;
  /** Applies an approved grant request (exactly once across processes); throws when it cannot. */
  applyGrant(requestId: string): void;
}

/**
 * Records `approve`/deny for request `id` by `decidedBy`, then carries an approval out: a grant is applied, a load
 * fetched again by its pinned source, checked against the approved digest and registered. A failure to carry it
 * out leaves the decision standing and says why in `note`.
 */
export async function decideRequest(t: DecisionTarget, id: string, approve: boolean, decidedBy: string): Promise<DecideResult> {
  // A request left behind by a server that stopped can no longer be carried out: refuse it as expired.
  expireStale(t.approvals, PENDING_TTL_MS);
  const request = t.approvals.decide(id, approve ? 'approved' : 'denied', decidedBy);
  if (!approve) return { request, applied: false };
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
