// The one approval flow every prompt-mode request follows: ask the user in place (MCP elicitation) when the client
// can, else leave the request pending and carry it out in the background once someone decides it (CLI, UI).
import { errorMessage } from '../errors.js';
import type { ApprovalsTable } from '../store/approvals.js';
import { askUser, type Elicit } from './ask-user.js';
import { PENDING_TTL_MS, waitForDecision } from './queue.js';

export type FlowOutcome<T> = { status: 'approved'; value: T } | { status: 'denied'; requestId: string } | { status: 'pending'; requestId: string };

export interface FlowOptions<T> {
  approvals: ApprovalsTable;
  requestId: string;
  /** What the user is shown: everything the decision is about. */
  message: string;
  elicit?: Elicit | undefined;
  /**
   * Carries the approved request out. Must be safe to call from several processes at once (claim the request
   * first): the server that asked and the CLI that approved may both try; undefined when someone else did it.
   */
  apply(): Promise<T>;
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
  const answer = await askUser(o.approvals, o.requestId, o.message, o.elicit);
  if (answer === 'approved') return { status: 'approved', value: await o.apply() };
  if (answer === 'denied') return { status: 'denied', requestId: o.requestId };
  waitForDecision(o.approvals, o.requestId, { timeoutMs: o.watchMs ?? PENDING_TTL_MS })
    .then(async (req) => {
      if (req.status === 'approved') await o.apply();
    })
    .catch((e: unknown) => o.onBackgroundError(`pending request ${o.requestId} failed: ${errorMessage(e)}`));
  return { status: 'pending', requestId: o.requestId };
}

/** The message an agent gets for a pending request: who to ask and how. */
export function pendingMessage(requestId: string, after = ''): string {
  return `waiting for the user to approve (wassette approvals approve ${requestId})${after}`;
}
