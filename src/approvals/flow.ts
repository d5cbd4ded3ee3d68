// The one approval flow every prompt-mode request follows: ask the user in place (MCP elicitation) when the client
// can, else leave the request pending and carry it out in the background once someone decides it (CLI, UI).
import { errorMessage } from '../errors.js';
import type { ApprovalRequest, ApprovalScope, ApprovalsTable } from '../store/approvals.js';
import { type ApprovalForm, askUser, type Elicit } from './ask-user.js';
import { PENDING_TTL_MS, waitForDecision } from './queue.js';

export type FlowOutcome<T> = { status: 'approved'; value: T } | { status: 'denied'; requestId: string } | { status: 'pending'; requestId: string };

export interface FlowOptions<T> {
  approvals: ApprovalsTable;
  requestId: string;
  /** What the user is shown: everything the decision is about. */
  message: string;
  elicit?: Elicit | undefined;
  /** The choices the user is offered (elicitation). */
  form: ApprovalForm;
  /** Set when a trust rule covers the request: it is approved by that rule without asking (`trust rule <id>`). */
  trustedBy?: string | undefined;
  /** Stores the trust rule when the user chose "approve and trust" in place (the CLI/UI store theirs themselves). */
  trust?: (request: ApprovalRequest) => void;
  /**
   * Carries the approved request out with the scope it was approved with. Must be safe to call from several
   * processes at once (claim the request first): the server that asked and the CLI that approved may both try;
   * undefined when someone else did it.
   */
  apply(scope: ApprovalScope): Promise<T>;
  /** Reports a background application that failed (nobody is waiting on it any more). */
  onBackgroundError(message: string): void;
  /** How long a pending request is watched before it expires. */
  watchMs?: number;
}

/**
 * Runs the flow for one request already stored as pending. Approved in place: applied now. Denied: nothing
 * happens. Pending: the request is watched until decided or expired, and applied here if approved.
 */
export async function seekApproval<T>(o: FlowOptions<T>): Promise<FlowOutcome<T>> {
  if (o.trustedBy !== undefined) {
    const decided = o.approvals.decide(o.requestId, 'approved', o.trustedBy, Date.now(), 'once');
    return { status: 'approved', value: await o.apply(decided.scope ?? 'once') };
  }
  const answer = await askUser(o.approvals, o.requestId, o.message, o.elicit, o.form);
  if (answer.status === 'approved') {
    const request = o.approvals.get(o.requestId);
    if (answer.scope === 'trust' && request?.decidedBy === 'user (elicitation)') o.trust?.(request);
    return { status: 'approved', value: await o.apply(answer.scope) };
  }
  if (answer.status === 'denied') return { status: 'denied', requestId: o.requestId };
  waitForDecision(o.approvals, o.requestId, { timeoutMs: o.watchMs ?? PENDING_TTL_MS })
    .then(async (req) => {
      if (req.status === 'approved') await o.apply(req.scope ?? 'once');
    })
    .catch((e: unknown) => o.onBackgroundError(`pending request ${o.requestId} failed: ${errorMessage(e)}`));
  return { status: 'pending', requestId: o.requestId };
}

/** The message an agent gets for a pending request: who to ask and how. */
export function pendingMessage(requestId: string, after = ''): string {
  return `waiting for the user to approve (wassette approvals approve ${requestId})${after}`;
}
