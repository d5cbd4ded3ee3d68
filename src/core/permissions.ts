// Rights of loaded components as the application offers them: grant (directly or through the approval flow),
// revoke, reset, policy views. Every change rebuilds the component's sandbox before its next call.
import type { Elicit } from '../approvals/ask-user.js';
import { pendingMessage, seekApproval } from '../approvals/flow.js';
import { describeRequest } from '../approvals/queue.js';
import type { Actor } from '../sandbox/decision.js';
import { unenforcedRules } from '../sandbox/effective-policy.js';
import { parseGrant, type Grant, type GrantKind } from '../sandbox/grants.js';
import type { PermissionService } from '../sandbox/permission-service.js';
import { policyToJson, serializePolicy, type Policy } from '../sandbox/policy.js';
import type { ApprovalsTable } from '../store/approvals.js';

export type GrantRequestResult =
  | { status: 'granted'; component_id: string; grant: Grant }
  | { status: 'denied' | 'pending'; request_id: string; message: string };

export interface PolicyView {
  component_id: string;
  policy: unknown;
  policy_yaml: string;
  grants: Grant[];
  unenforced?: ReturnType<typeof unenforcedRules>;
}

export interface PermissionsDeps {
  service: PermissionService;
  approvals: ApprovalsTable;
  /** Throws UnknownComponent unless the store records a component under `id`. */
  requireLoaded(id: string): void;
  invalidate(id: string): void;
  warn(message: string): void;
}

export class Permissions {
  readonly #d: PermissionsDeps;

  constructor(deps: PermissionsDeps) {
    this.#d = deps;
  }

  /** The user grants a right: applied at once. `details` is what the grant_* tool takes. */
  grant(componentId: string, kind: GrantKind, details: unknown): Grant {
    this.#d.requireLoaded(componentId);
    const out = this.#d.service.requestGrant('user', componentId, parseGrant(kind, details));
    this.#d.invalidate(componentId);
    if (out.status !== 'applied') throw new Error('a user grant is never queued');
    return out.grant;
  }

  /**
   * An agent asks for a right: applied at once in auto mode; in prompt mode the user is asked (in place through
   * `elicit`, else later through the CLI or UI, after which the grant is applied in the background).
   */
  async request(componentId: string, kind: GrantKind, details: unknown, elicit?: Elicit): Promise<GrantRequestResult> {
    this.#d.requireLoaded(componentId);
    const wanted = parseGrant(kind, details);
    // Without a form, asking again while the same grant waits answers with that request (its watcher applies it).
    const out = this.#d.service.requestGrant('agent', componentId, wanted, 'agent', elicit === undefined);
    if (out.status === 'applied') {
      this.#d.invalidate(componentId);
      return { status: 'granted', component_id: componentId, grant: out.grant };
    }
    if (out.reused) return { status: 'pending', request_id: out.requestId, message: pendingMessage(out.requestId) };
    const req = this.#d.approvals.get(out.requestId);
    const flow = await seekApproval({
      approvals: this.#d.approvals,
      requestId: out.requestId,
      message: req ? describeRequest(req) : `grant ${JSON.stringify(wanted)} to ${componentId}`,
      elicit,
      form: 'grant',
      apply: async () => this.applyApproved(out.requestId),
      onBackgroundError: (m) => this.#d.warn(m),
    });
    if (flow.status === 'approved') return { status: 'granted', component_id: componentId, grant: flow.value ?? wanted };
    if (flow.status === 'denied') return { status: 'denied', request_id: flow.requestId, message: 'the user denied this permission' };
    return { status: 'pending', request_id: flow.requestId, message: pendingMessage(flow.requestId) };
  }

  /** Applies an approved grant request, exactly once across processes. */
  applyApproved(requestId: string): Grant | undefined {
    const out = this.#d.service.applyApproved(requestId);
    const componentId = this.#d.approvals.get(requestId)?.componentId;
    if (componentId) this.#d.invalidate(componentId);
    return out.status === 'applied' ? out.grant : undefined;
  }

  /** Removes one grant (always allowed: it only reduces rights). */
  revoke(actor: Actor, componentId: string, kind: GrantKind, details: unknown): { revoked: boolean } {
    this.#d.requireLoaded(componentId);
    const out = this.#d.service.revoke(actor, componentId, kind, details);
    this.#d.invalidate(componentId);
    return out;
  }

  /** Removes every grant, back to the starting policy. */
  reset(actor: Actor, componentId: string): { removed: number } {
    this.#d.requireLoaded(componentId);
    const out = this.#d.service.reset(actor, componentId);
    this.#d.invalidate(componentId);
    return out;
  }

  list(componentId: string): Grant[] {
    return this.#d.service.listGrants(componentId);
  }

  /** Starting policy + grants of a loaded component. */
  effectivePolicy(componentId: string): Policy {
    this.#d.requireLoaded(componentId);
    return this.#d.service.effectivePolicy(componentId);
  }

  /** What get_policy and `wassette policy` show. */
  view(componentId: string): PolicyView {
    const policy = this.effectivePolicy(componentId);
    const unenforced = unenforcedRules(policy);
    return {
      component_id: componentId,
      policy: policyToJson(policy),
      policy_yaml: serializePolicy(policy),
      grants: this.list(componentId),
      ...(unenforced.length ? { unenforced } : {}),
    };
  }
}
