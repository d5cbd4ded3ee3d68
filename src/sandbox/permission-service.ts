// THE decision point for rights: every grant, revoke, reset and agent load request goes through here and persists in SQLite.
import { expireStale, PENDING_TTL_MS } from '../approvals/queue.js';
import type { ApprovalMode } from '../config.js';
import { ErrorCode, WassetteError, unknownComponent } from '../errors.js';
import type { Store } from '../store/db.js';
import type { ApprovalKind, ApprovalRequest } from '../store/approvals.js';
import { decide, type Actor } from './decision.js';
import { effectivePolicy } from './effective-policy.js';
import { describeGrant, grantKey, mergeGrant, parseGrant, revokeKey, type Grant, type GrantKind } from './grants.js';
import { policyFromJson, type Policy } from './policy.js';

/**
 * Requests agents may have waiting for the user at once (all servers on this home). Each is watched until decided or
 * expired; the watchers of one server share one status query per 250 ms poll, so 1,000 pending cost ~1.5% of a core
 * (the same measure gave 10% when each polled on its own, 36% at 2,000). Every one is a line in the approvals UI (its
 * keypress target holds at 1,000). Past this an agent's request is refused as busy; the user's never are.
 */
export const MAX_PENDING_REQUESTS = 1000;

/**
 * Payload bytes agents may have waiting at once (all servers on this home). A load request carries what the user is
 * shown (tools with descriptions, permissions, the policy): ~4 KB for the examples, up to ~300 KB for a component at
 * the export caps, so the count alone would let 1,000 of them take ~300 MB of the database.
 */
export const MAX_PENDING_BYTES = 16 * 2 ** 20;

export type GrantOutcome = { status: 'applied'; grant: Grant } | { status: 'pending'; requestId: string; reused?: true };
export type LoadOutcome = { status: 'allowed' } | { status: 'pending'; requestId: string; reused?: true };

export interface PermissionServiceOptions {
  approvalMode: ApprovalMode;
  /** Called after a component's grants changed in this process, so the runtime can rebuild its SandboxSpec. */
  onChange?: (componentId: string) => void;
  now?: () => number;
  /**
   * This server's session: its session-scoped grants count here (and nowhere else), and its agents' grant requests
   * name it so "allow for this session" knows which session. Absent in the CLI and the UI.
   */
  session?: string;
}

export class PermissionService {
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly options: PermissionServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  private requireRoomForRequest(payload: unknown): void {
    const bytes = Buffer.byteLength(JSON.stringify(payload ?? null));
    const room = () => this.store.approvals.countPending() < MAX_PENDING_REQUESTS && this.store.approvals.pendingPayloadBytes() + bytes <= MAX_PENDING_BYTES;
    if (room()) return;
    // Requests left by a server that stopped are watched by nobody: expire them before refusing.
    expireStale(this.store.approvals, PENDING_TTL_MS, this.now());
    if (room()) return;
    const pending = this.store.approvals.countPending();
    throw new WassetteError(
      ErrorCode.Busy,
      `${pending} requests already wait for the user's decision (at most ${MAX_PENDING_REQUESTS}, ${MAX_PENDING_BYTES / 2 ** 20} MiB of details); ask the user to decide them (wassette approvals) or wait until they expire`,
      { data: { pending, max: MAX_PENDING_REQUESTS, maxBytes: MAX_PENDING_BYTES } },
    );
  }

  private requireComponent(componentId: string): void {
    if (!this.store.components.get(componentId)) {
      throw unknownComponent(componentId);
    }
  }

  private audit(componentId: string, outcome: string, capability: string, target: string, detail: string): void {
    this.store.audit.append({ ts: this.now(), componentId, outcome, capability, target, detail });
  }

  /**
   * Stores a grant, widening an existing one with the same key, in one IMMEDIATE transaction (safe
   * across processes). When `guard` returns false inside that transaction nothing is stored.
   */
  private apply(componentId: string, grant: Grant, grantedBy: Actor, guard?: () => boolean, session = ''): Grant | undefined {
    const merged = this.store.db
      .transaction(() => {
        if (guard && !guard()) return undefined;
        const key = grantKey(grant);
        const row = this.store.grants.get(componentId, grant.kind, key, session);
        const next = mergeGrant(row ? parseGrant(row.kind, row.value) : undefined, grant);
        this.store.grants.add({ componentId, kind: next.kind, key, value: next, grantedBy, createdAt: this.now(), session });
        return next;
      })
      .immediate();
    if (merged === undefined) return undefined;
    const reach = session === '' ? '' : `, for server session ${session} only`;
    this.audit(componentId, 'granted', grant.kind, grantKey(grant), `${describeGrant(merged)} (by ${grantedBy}${reach})`);
    this.options.onChange?.(componentId);
    return merged;
  }

  /**
   * Grants a right now (user, or agent in auto mode) or queues an approval request (agent in prompt
   * mode). `grant` comes from `parseGrant(kind, details)`. Throws UnknownComponent before queueing.
   */
  requestGrant(
    actor: Actor,
    componentId: string,
    grant: Grant,
    requestedBy: string = actor,
    /** Answer with a pending request that asks exactly this (same component, grant and session) instead of a new one. */
    reuseWaiting = false,
  ): GrantOutcome {
    this.requireComponent(componentId);
    const checked = parseGrant(grant.kind, grant);
    if (decide({ actor, action: 'grant', approvalMode: this.options.approvalMode }) === 'allow') {
      return { status: 'applied', grant: this.apply(componentId, checked, actor) ?? checked };
    }
    // The request names the component's identity, so an approval can never reach other code loaded
    // under the same id later (even if expiring the request at unload was missed).
    const c = this.store.components.get(componentId);
    const payload = {
      ...checked,
      component_source: c?.source ?? null,
      component_digest: c?.digest ?? null,
      ...(this.options.session ? { session: this.options.session } : {}),
    };
    if (reuseWaiting) {
      const same = JSON.stringify(payload);
      const waiting = this.store.approvals.listPending().find((r) => r.kind === 'grant' && r.componentId === componentId && JSON.stringify(r.payload) === same);
      if (waiting) return { status: 'pending', requestId: waiting.id, reused: true };
    }
    this.requireRoomForRequest(payload);
    const req = this.store.approvals.create({ kind: 'grant', componentId, payload, requestedBy, createdAt: this.now() });
    this.audit(componentId, 'pending', checked.kind, grantKey(checked), `${describeGrant(checked)} awaits approval (request ${req.id})`);
    return { status: 'pending', requestId: req.id };
  }

  /**
   * Applies an approved grant request, exactly once even if the server and the UI both call it.
   * Throws ApprovalDenied when the request was denied or expired, InvalidArgument while still pending.
   */
  applyApproved(requestId: string): GrantOutcome {
    const req = this.store.approvals.get(requestId);
    if (!req) throw new WassetteError(ErrorCode.NotFound, `no approval request with id ${requestId}`);
    if (req.kind !== 'grant') throw new WassetteError(ErrorCode.InvalidArgument, `request ${requestId} is a ${req.kind} request, not a grant`);
    if (req.status === 'denied' || req.status === 'expired') {
      throw new WassetteError(ErrorCode.ApprovalDenied, `the grant request ${requestId} was ${req.status}`, { data: { status: req.status } });
    }
    if (req.status === 'pending') throw new WassetteError(ErrorCode.InvalidArgument, `the grant request ${requestId} is still waiting for approval`);
    const grant = parseGrant((req.payload as { kind?: string } | null)?.kind ?? '', req.payload);
    const componentId = req.componentId ?? '';
    this.requireComponent(componentId);
    const boundTo = (req.payload as { component_digest?: unknown } | null)?.component_digest;
    const nowDigest = this.store.components.get(componentId)?.digest;
    if (typeof boundTo === 'string' && boundTo !== nowDigest) {
      throw new WassetteError(
        ErrorCode.ApprovalDenied,
        `the grant request ${requestId} was for component ${componentId} with digest ${boundTo}; the component now loaded under that id is ${nowDigest ?? 'none'}, so it is not applied`,
        { data: { status: req.status } },
      );
    }
    const session = req.scope === 'session' ? (req.payload as { session?: unknown } | null)?.session : '';
    if (typeof session !== 'string' || (req.scope === 'session' && session === '')) {
      throw new WassetteError(
        ErrorCode.InvalidArgument,
        `the grant request ${requestId} was approved for the asking server's session, but it names no server session; nothing was granted`,
      );
    }
    // Marking and granting share one transaction: a crash between them cannot lose or double the grant.
    const applied = this.apply(componentId, grant, 'agent', () => this.store.approvals.markApplied(requestId, this.now()), session);
    return { status: 'applied', grant: applied ?? grant };
  }

  /**
   * Removes one grant. Always allowed (it only reduces rights; see decision.ts). `details` is what
   * the revoke_* tool takes: storage `{uri}`, network `{host}`, environment `{key}`, memory `{}`.
   * Rights from the component's starting policy are not grants and stay.
   */
  revoke(actor: Actor, componentId: string, kind: GrantKind, details: unknown): { revoked: boolean } {
    this.requireComponent(componentId);
    const key = revokeKey(kind, details);
    const revoked = this.store.grants.revoke(componentId, kind, key);
    if (revoked) {
      this.audit(componentId, 'revoked', kind, key, `revoked by ${actor}`);
      this.options.onChange?.(componentId);
    }
    return { revoked };
  }

  /** Removes every grant of a component, back to its starting policy. Always allowed. */
  reset(actor: Actor, componentId: string): { removed: number } {
    this.requireComponent(componentId);
    const removed = this.store.grants.reset(componentId);
    this.audit(componentId, 'reset', 'all', componentId, `${removed} grant(s) removed by ${actor}`);
    if (removed > 0) this.options.onChange?.(componentId);
    return { removed };
  }

  /**
   * Gate for agent-initiated loads: 'allowed' to go ahead now, or 'pending' with an approvals row
   * whose payload is what to load (e.g. `{ref}`); the caller loads once the request is approved.
   */
  requestLoad(
    actor: Actor,
    kind: Extract<ApprovalKind, 'load_component' | 'load_tool'>,
    payload: unknown,
    requestedBy: string = actor,
    /** A pending request of this kind that already asks the same: answered with it instead of a new one. */
    sameAs?: (pending: ApprovalRequest) => boolean,
  ): LoadOutcome {
    if (decide({ actor, action: kind, approvalMode: this.options.approvalMode }) === 'allow') return { status: 'allowed' };
    const waiting = sameAs && this.store.approvals.listPending().find((r) => r.kind === kind && sameAs(r));
    if (waiting) return { status: 'pending', requestId: waiting.id, reused: true };
    this.requireRoomForRequest(payload);
    const req: ApprovalRequest = this.store.approvals.create({ kind, payload, requestedBy, createdAt: this.now() });
    return { status: 'pending', requestId: req.id };
  }

  /** The component's grants that hold here (persistent ones and this session's), oldest first. */
  listGrants(componentId: string): Grant[] {
    return this.store.grants.list(componentId, this.options.session ?? '').map((r) => parseGrant(r.kind, r.value));
  }

  /** The component's starting policy, or undefined (deny all) when it came without one. */
  basePolicy(componentId: string): Policy | undefined {
    const c = this.store.components.get(componentId);
    if (!c) throw unknownComponent(componentId);
    return c.policy === null || c.policy === undefined ? undefined : policyFromJson(c.policy, `policy of component ${componentId}`);
  }

  /** Starting policy + grants: what get_policy reports and what toSandboxSpec turns into the sandbox. */
  effectivePolicy(componentId: string): Policy {
    return effectivePolicy(this.basePolicy(componentId), this.listGrants(componentId));
  }
}
