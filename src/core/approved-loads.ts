// Carries out an approved load request exactly once, in whichever process claims it first: the server
// that asked (holding the fetched bytes) or the CLI that approved it (fetching again by pinned source).
import { ErrorCode, WassetteError } from '../errors.js';
import type { ApprovalRequest } from '../store/approvals.js';
import { approvedPolicy, type LoadPayload } from '../approvals/load-request.js';
import type { ComponentSummary, Wassette } from './wassette.js';

/**
 * Fetches the approved component again by its recorded (pinned) source, refuses it if its digest is
 * not the one the user approved, then claims and registers it. Returns undefined when another process
 * already carried the request out.
 */
export async function completeApprovedLoad(w: Wassette, request: ApprovalRequest): Promise<ComponentSummary | undefined> {
  if (request.kind !== 'load_component' && request.kind !== 'load_tool') {
    throw new WassetteError(ErrorCode.InvalidArgument, `request ${request.id} is a ${request.kind} request, not a load`);
  }
  if (request.status !== 'approved') {
    throw new WassetteError(ErrorCode.ApprovalDenied, `request ${request.id} is ${request.status}, not approved`);
  }
  if (request.appliedAt !== null) return undefined;
  const payload = (request.payload ?? {}) as LoadPayload;
  const ref = payload.source ?? payload.path;
  if (typeof ref !== 'string' || ref.length === 0) {
    throw new WassetteError(ErrorCode.InvalidArgument, `request ${request.id} does not say what to load`);
  }
  const { fetched, prepared } = await w.fetch(ref);
  if (payload.digest !== undefined && fetched.digest !== payload.digest) {
    throw new WassetteError(
      ErrorCode.DigestMismatch,
      `${ref} changed since it was approved (approved ${payload.digest}, now ${fetched.digest}); not loaded`,
    );
  }
  // The policy applied is the one recorded in the request (the one the user was shown), never the
  // one on disk now: a policy written beside the file after the request refuses the approval.
  const policy = approvedPolicy(request.id, payload.policy, fetched.policyYaml);
  if (!w.store.approvals.markApplied(request.id)) return undefined;
  return w.register(fetched, prepared.component, policy, prepared.warnings);
}
