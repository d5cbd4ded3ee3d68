// The approvals UI's one data module: reads the queue, components, trust rules and audit log from the application
// core (on the shared SQLite store, so changes made by servers in other processes show up) and carries decisions and
// revocations out, as `user (ui)`.
import type { DecideOptions, DecideResult } from '../src/approvals/decide.js';
import type { TrustRule } from '../src/approvals/trust-rules.js';
import type { PolicyView } from '../src/core/permissions.js';
import type { ComponentSummary } from '../src/core/summary.js';
import { errorMessage } from '../src/errors.js';
import { describeGrant } from '../src/sandbox/grants.js';
import type { ApprovalRequest } from '../src/store/approvals.js';
import type { AuditEntry, AuditQuery } from '../src/store/audit.js';
import type { AuditFilter, Choice, ComponentInfo, DecisionOutcome, Snapshot, UiData } from './types.js';

/** What each choice asks the core for: loads are approved once or with trust, grants always or for the session. */
const CHOICES: Record<Choice, DecideOptions> = { approve: {}, trust: { trust: true }, session: { scope: 'session' }, deny: {} };

/** Who the audit log and the request record say decided. */
export const DECIDED_BY = 'user (ui)';
const AUDIT_ROWS = 300;

/** Trust rules as the core offers them (`w.trust`). */
export interface TrustApi {
  list(): TrustRule[];
  revoke(id: string, by: string): TrustRule;
}

/** The part of the application core (`Wassette`) the UI uses. */
export interface UiBackend {
  readonly approvals: {
    list(opts?: { all?: boolean }): ApprovalRequest[];
    decide(id: string, approve: boolean, decidedBy?: string, opts?: DecideOptions): Promise<DecideResult>;
  };
  list(): ComponentSummary[];
  readonly permissions: { view(componentId: string): PolicyView };
  auditLog(query: AuditQuery): AuditEntry[];
  syncFromStore(): Promise<void>;
  readonly trust: TrustApi;
}

export function signatureLine(verification: unknown): string {
  const v = (verification ?? { status: 'unsigned' }) as { status?: string; method?: string; signer?: string; reason?: string };
  if (v.status === 'verified') return `verified (${v.method ?? '?'}) by ${v.signer ?? '?'}`;
  if (v.status === 'failed') return `FAILED${v.method ? ` (${v.method})` : ''}: ${v.reason ?? 'unknown reason'}`;
  return 'unsigned';
}

function componentInfo(backend: UiBackend, c: ComponentSummary): ComponentInfo {
  const base = { id: c.id, source: c.source, digest: c.digest, tools: c.tools, signature: signatureLine(c.verification) };
  const extra = c.status === 'unavailable' ? { unavailable: c.error ?? 'unavailable' } : {};
  try {
    const v = backend.permissions.view(c.id);
    return { ...base, ...extra, policyYaml: v.policy_yaml, grants: v.grants.map((g) => describeGrant(g)) };
  } catch (e) {
    return { ...base, ...extra, policyYaml: '', grants: [`(cannot read the policy: ${errorMessage(e)})`] };
  }
}

/**
 * The store's tables, read directly while the core is still starting (importing and opening it takes longer than
 * a first paint may): enough for the queue, the trust rules and the audit log.
 */
export interface EarlyStore {
  approvals: { listPending(): ApprovalRequest[] };
  trustRules: { list(): TrustRule[] };
  audit: { query(q: AuditQuery): AuditEntry[] };
}

/** The UI's data port over the core; with `early`, it answers from the store until `core` resolves. */
export function createUiData(core: UiBackend | Promise<UiBackend>, opts: { early?: EarlyStore; onError?: (m: string) => void } = {}): UiData {
  let ready: UiBackend | undefined;
  let failed: unknown;
  const started = Promise.resolve(core).then(
    (b) => {
      ready = b;
      return b;
    },
    (e: unknown) => {
      failed = e;
      throw e;
    },
  );
  started.catch(() => undefined);
  return {
    async snapshot(filter: AuditFilter): Promise<Snapshot> {
      const query: AuditQuery = { limit: AUDIT_ROWS };
      if (filter.componentId !== undefined) query.componentId = filter.componentId;
      if (filter.outcome !== undefined) query.outcome = filter.outcome;
      if (failed !== undefined) throw failed;
      const early = opts.early;
      if (!ready && early) {
        return { pending: early.approvals.listPending(), components: [], trust: early.trustRules.list(), audit: early.audit.query(query), starting: true };
      }
      const backend = ready ?? (await started);
      // Following loads made by servers transpiles from the shared cache; never let it hold up new requests.
      backend.syncFromStore().catch((e: unknown) => opts.onError?.(`sync: ${errorMessage(e)}`));
      return {
        pending: backend.approvals.list(),
        components: backend.list().map((c) => componentInfo(backend, c)),
        trust: backend.trust.list(),
        audit: backend.auditLog(query),
      };
    },

    async decide(id: string, choice: Choice): Promise<DecisionOutcome> {
      const backend = await started;
      const out = await backend.approvals.decide(id, choice !== 'deny', DECIDED_BY, CHOICES[choice]);
      return {
        requestId: id,
        choice,
        status: out.request.status,
        applied: out.applied,
        ...(out.request.scope ? { scope: out.request.scope } : {}),
        ...(out.note !== undefined ? { note: out.note } : {}),
        ...(out.rule !== undefined ? { rule: out.rule } : {}),
        at: Date.now(),
      };
    },

    async revokeTrust(id: string): Promise<string> {
      const rule = (await started).trust.revoke(id, DECIDED_BY);
      return `revoked trust rule ${rule.id} (oci://${rule.registry}/${rule.repositoryPrefix})`;
    },
  };
}
