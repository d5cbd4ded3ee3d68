// The approval queue as the application offers it to the CLI and the UI: list, describe, and decide (carrying the
// decision out here, exactly once across processes, through the one flow in approvals/).
import { type DecideOptions, decideRequest, type DecideResult } from '../approvals/decide.js';
import { approvedPolicy, type LoadPayload } from '../approvals/load-request.js';
import type { ToolLoadPayload } from '../approvals/tool-request.js';
import { PENDING_TTL_MS, describeRequest, expireStale } from '../approvals/queue.js';
import { ErrorCode, WassetteError } from '../errors.js';
import type { Policy } from '../sandbox/policy.js';
import type { ApprovalRequest, ApprovalsTable } from '../store/approvals.js';
import type { ComponentSummary, Prepared, Replacing } from './summary.js';
import type { TrustRules } from './trust.js';

export interface ApprovalRequestsDeps {
  approvals: ApprovalsTable;
  trust: TrustRules;
  /** Fetches and describes `ref`; with `replacing`, under that loaded version's id (an upgrade in place). */
  fetch(ref: string, replacing?: Replacing): Promise<Prepared>;
  register(p: Prepared, policy: Policy | undefined): Promise<ComponentSummary>;
  applyGrant(requestId: string): void;
}

export class ApprovalRequests {
  readonly #d: ApprovalRequestsDeps;

  constructor(deps: ApprovalRequestsDeps) {
    this.#d = deps;
  }

  /** Pending requests (or all with `all`), after expiring those nobody is left to act on. */
  list(opts: { all?: boolean } = {}): ApprovalRequest[] {
    expireStale(this.#d.approvals, PENDING_TTL_MS);
    return opts.all === true ? this.#d.approvals.list() : this.#d.approvals.listPending();
  }

  get(id: string): ApprovalRequest | undefined {
    return this.#d.approvals.get(id);
  }

  /** One sentence a person can decide from. */
  describe(request: ApprovalRequest): string {
    return describeRequest(request);
  }

  /**
   * Records the user's decision and carries an approval out in this process. `trust` (loads only) also stores the
   * rule "trust this publisher" made from the request; `scope` (grants only) is `session` (the asking server's
   * session) or `always` (the default).
   */
  decide(id: string, approve: boolean, decidedBy = 'user (cli)', opts: DecideOptions = {}): Promise<DecideResult> {
    return decideRequest(
      {
        approvals: this.#d.approvals,
        completeLoad: (r) => this.#completeLoad(r),
        applyGrant: (rid) => this.#d.applyGrant(rid),
        trust: (r) => this.#d.trust.trustRequest(r, decidedBy),
        checkTrustable: (r) => void this.#d.trust.ruleForRequest(r, decidedBy),
      },
      id,
      approve,
      decidedBy,
      opts,
    );
  }

  /**
   * Fetches the approved component again by its recorded (pinned) source, refuses it if its digest is not the one
   * the user approved, then claims and registers it. Undefined when another process already carried it out.
   */
  async #completeLoad(request: ApprovalRequest): Promise<ComponentSummary | undefined> {
    if (request.kind !== 'load_component' && request.kind !== 'load_tool') {
      throw new WassetteError(ErrorCode.InvalidArgument, `request ${request.id} is a ${request.kind} request, not a load`);
    }
    if (request.status !== 'approved') throw new WassetteError(ErrorCode.ApprovalDenied, `request ${request.id} is ${request.status}, not approved`);
    if (request.appliedAt !== null) return undefined;
    const payload = (request.payload ?? {}) as LoadPayload;
    const ref = payload.source ?? payload.path;
    if (typeof ref !== 'string' || ref.length === 0) throw new WassetteError(ErrorCode.InvalidArgument, `request ${request.id} does not say what to load`);
    // A load_tool request for a new version of a loaded source replaces that version, as the user was told.
    const changes = request.kind === 'load_tool' ? (payload as Partial<ToolLoadPayload>).changes : undefined;
    const replacing = typeof changes?.component === 'string' && typeof changes.from === 'string' ? { id: changes.component, digest: changes.from } : undefined;
    const p = await this.#d.fetch(ref, replacing);
    if (payload.digest !== undefined && p.fetched.digest !== payload.digest) {
      throw new WassetteError(
        ErrorCode.DigestMismatch,
        `${ref} changed since it was approved (approved ${payload.digest}, now ${p.fetched.digest}); not loaded`,
      );
    }
    // The policy applied is the one recorded in the request (the one the user was shown), never the one on disk
    // now: a policy written beside the file after the request refuses the approval.
    const policy = approvedPolicy(request.id, payload.policy, p.fetched.policyYaml);
    if (!this.#d.approvals.markApplied(request.id)) return undefined;
    return this.#d.register(p, policy);
  }
}
