// `load_tool`: the agent's request to add a found tool. One request covers fetching, verification, loading and the
// permissions the starting policy asks for; the user sees everything the decision is about (approvals/tool-request.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { MCP_REF_PREFIX } from '../../index/import-tools-list.js';
import { type FlowOutcome, seekApproval } from '../approvals/flow.js';
import { waitForDecision } from '../approvals/queue.js';
import { recordPolicy } from '../approvals/load-request.js';
import { changesFrom, describeToolLoad, permissionAsks, publisherOf, type ToolLoadPayload } from '../approvals/tool-request.js';
import { ErrorCode, WassetteError } from '../errors.js';
import type { PermissionService } from '../sandbox/permission-service.js';
import type { Policy } from '../sandbox/policy.js';
import { requestedPermissions } from '../sandbox/requested-permissions.js';
import type { ApprovalRequest, ApprovalsTable } from '../store/approvals.js';
import type { CallContext } from './call-context.js';
import { LOAD_STAGES } from './load-progress.js';
import type { ComponentSummary, Prepared, Replacing } from './summary.js';
import { loadQuestion, subjectSignature, type TrustRules } from './trust.js';

export type LoadToolResult =
  | { status: 'loaded'; component_id: string; tools: string[]; already_loaded?: true }
  | { status: 'pending' | 'denied'; request_id: string; message: string };

export interface LoadToolDeps {
  prepare(ref: string): Promise<Prepared>;
  /** `p` described as the upgrade of `previous` (under its id), or `p` itself when `previous` no longer holds that digest. */
  upgrading(p: Prepared, previous: Replacing): Prepared;
  register(p: Prepared, policy: Policy | undefined): Promise<ComponentSummary>;
  /** Loaded components: summary plus what their effective policy allows now. */
  loaded(): Array<ComponentSummary & { permissions: string[] }>;
  service: PermissionService;
  approvals: ApprovalsTable;
  trust: TrustRules;
  warn(message: string): void;
  /** Picks up loads other processes carried out (an approval from the CLI/UI may load it there). */
  sync(): Promise<void>;
  /** Does the work an approval will need that runs nothing of the component (cache, transpile), while the user decides. */
  prepareAhead(p: Prepared): void;
  /** How long the call stays open while the user decides, when the client can receive progress; 0: never. */
  waitMs: number;
}

/** The longest an approved load is waited for after the decision (fetch and transpile in this or another process). */
const LOADING_WAIT_MS = 120_000;
const PROGRESS_EVERY_MS = 5000;

/** The same publication regardless of version: an OCI source without its digest or tag, else the source itself. */
export function sourceKey(source: string): string {
  if (!source.startsWith('oci://')) return source;
  const name = source.split('@')[0]!;
  const slash = name.lastIndexOf('/');
  const colon = name.indexOf(':', slash);
  return colon < 0 ? name : name.slice(0, colon);
}

/**
 * The same artifact named two ways: an OCI source is its repository plus its manifest digest (`repo:1@sha256:m` is
 * `repo@sha256:m`), whatever tag it was asked by; any other source is itself.
 */
export function samePublication(a: string, b: string): boolean {
  if (!a.startsWith('oci://') || !b.startsWith('oci://')) return a === b;
  const pin = (s: string): string | undefined => (s.includes('@') ? s.slice(s.indexOf('@') + 1) : undefined);
  return sourceKey(a) === sourceKey(b) && pin(a) !== undefined && pin(a) === pin(b);
}

/** Whether a recorded load_tool payload asks for the same artifact (source, digest, policy, version replaced) as `p`. */
function isSameLoad(recorded: unknown, p: ToolLoadPayload): boolean {
  const r = recorded as Partial<ToolLoadPayload> | null;
  return (
    typeof r?.source === 'string' &&
    r.digest === p.digest &&
    samePublication(r.source, p.source) &&
    JSON.stringify(r.policy ?? null) === JSON.stringify(p.policy) &&
    (r.changes?.from ?? null) === (p.changes?.from ?? null) &&
    (r.changes?.component ?? null) === (p.changes?.component ?? null)
  );
}

function signatureLine(p: Prepared): string {
  const v = p.component.verification;
  if (v?.status === 'verified') return `signed (${v.method}) by ${v.signer}`;
  if (v?.status === 'failed') return `signature check failed: ${v.reason}`;
  return 'unsigned';
}

export async function loadTool(
  d: LoadToolDeps,
  ref: string,
  reason: string | undefined,
  ctx: Pick<CallContext, 'elicit' | 'progress' | 'signal'> = {},
): Promise<LoadToolResult> {
  const { elicit } = ctx;
  if (ref.startsWith(MCP_REF_PREFIX)) {
    const [file, tool] = ref.slice(MCP_REF_PREFIX.length).split('#');
    throw new WassetteError(
      ErrorCode.InvalidArgument,
      `${ref} is the tool ${tool ?? '?'} of another MCP server (imported from ${file}); ` +
        'Wassette loads only WebAssembly components: add that server to the MCP client to use it',
    );
  }
  const fetched = await d.prepare(ref);
  const loaded = d.loaded();
  const same = loaded.find((c) => c.digest === fetched.fetched.digest && samePublication(c.source, fetched.fetched.source));
  if (same) return { status: 'loaded', component_id: same.id, tools: same.tools, already_loaded: true };

  const asked = requestedPermissions(fetched.policy);
  // Another version of the same source: this load replaces it (same id), and the request says what changes.
  const previous = loaded.find((c) => sourceKey(c.source) === sourceKey(fetched.fetched.source));
  const p = previous ? d.upgrading(fetched, { id: previous.id, digest: previous.digest }) : fetched;
  const replaces = previous && p.component.id === previous.id ? previous : undefined;
  const toolNames = p.tools.map((t) => t.name);
  const payload: ToolLoadPayload = {
    ref,
    source: p.fetched.source,
    digest: p.fetched.digest,
    component: p.component.id,
    policy: recordPolicy(p.fetched.policyYaml, p.fetched.policyOrigin, p.policy),
    ...(reason ? { reason } : {}),
    signature: signatureLine(p),
    publisher: publisherOf(p.fetched.annotations),
    tools: p.tools.map((t) => ({ name: t.name, description: t.description })),
    permissions: permissionAsks(asked, new Set(previous?.permissions ?? [])),
    subject: { source: p.fetched.source, signature: subjectSignature(p.component.verification), permissions: asked },
    ...(previous
      ? {
          changes: {
            ...changesFrom({ digest: previous.digest, tools: previous.tools, permissions: previous.permissions }, { tools: toolNames, permissions: asked }),
            ...(replaces ? { component: replaces.id } : {}),
          },
        }
      : {}),
  };
  const done = (s: ComponentSummary): LoadToolResult => ({ status: 'loaded', component_id: s.id, tools: s.tools });
  const question = loadQuestion(d.trust, payload.subject);
  // Asked again before the user decided (a retry, another server on this home): the request already waiting
  // answers, so repeats neither bury the queue nor use up its room. A client that can ask the user still asks.
  const sameAs = elicit || question.trustedBy !== undefined ? undefined : (r: ApprovalRequest) => isSameLoad(r.payload, payload);
  const gate = d.service.requestLoad('agent', 'load_tool', payload, 'agent', sameAs);
  if (gate.status === 'allowed') return done(await d.register(p, p.policy));
  if (question.trustedBy === undefined && !gate.reused) d.prepareAhead(p);
  const flow: FlowOutcome<ComponentSummary | undefined> = gate.reused
    ? { status: 'pending', requestId: gate.requestId }
    : await seekApproval({
        approvals: d.approvals,
        requestId: gate.requestId,
        message: describeToolLoad(payload),
        elicit,
        ...question,
        trust: (r) => d.trust.trustRequest(r, 'user (elicitation)'),
        apply: async () => (d.approvals.markApplied(gate.requestId) ? d.register(p, p.policy) : undefined),
        onBackgroundError: d.warn,
      });
  const isThis = (c: { digest: string; source: string }): boolean => c.digest === p.fetched.digest && c.source === p.fetched.source;
  if (flow.status === 'approved') {
    const s = flow.value ?? d.loaded().find(isThis);
    return s ? done(s) : { status: 'pending', request_id: gate.requestId, message: 'approved; loading in another process' };
  }
  if (flow.status === 'denied') return { status: 'denied', request_id: flow.requestId, message: 'the user denied loading this tool' };
  if (ctx.progress && d.waitMs > 0) {
    const waited = await waitForUser(d, flow.requestId, isThis, ctx as WaitContext);
    if (waited) return waited;
  }
  return {
    status: 'pending',
    request_id: flow.requestId,
    message:
      `waiting for the user: ask them to run \`wassette approvals\` (or \`wassette approvals approve ${flow.requestId}\`); ` +
      `the tools appear when approved; check with approval_status {request_id: "${flow.requestId}"}`,
  };
}

type WaitContext = Pick<CallContext, 'signal'> & Required<Pick<CallContext, 'progress'>>;

/**
 * Keeps the call open while the user decides (up to `waitMs`, with a progress notification every few seconds), then
 * while the approved load completes. Undefined when the wait ran out or the client went away: the caller answers
 * `pending` as usual and the request stays answerable.
 */
async function waitForUser(
  d: LoadToolDeps,
  requestId: string,
  isThis: (c: { digest: string; source: string }) => boolean,
  ctx: WaitContext,
): Promise<LoadToolResult | undefined> {
  if (ctx.signal?.aborted) return undefined;
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  ctx.signal?.addEventListener('abort', abort, { once: true });
  const deadline = setTimeout(abort, d.waitMs);
  const started = Date.now();
  // Within the load's `approval` stage (progress only grows): stage + the share of the wait that has passed.
  const stage = LOAD_STAGES.indexOf('approval') + 1;
  const total = LOAD_STAGES.length;
  const say = (message: string): void => ctx.progress(stage + Math.min(0.98, (Date.now() - started) / d.waitMs), total, message);
  say(`waiting for the user to decide (wassette approvals, request ${requestId})`);
  const ticker = setInterval(() => say(`still waiting for the user to decide (request ${requestId})`), PROGRESS_EVERY_MS);
  try {
    // The request must not expire here: only the abort ends this wait early, leaving the request pending.
    const req = await waitForDecision(d.approvals, requestId, { timeoutMs: d.waitMs + LOADING_WAIT_MS, signal: stop.signal });
    if (req.status === 'denied') return { status: 'denied', request_id: requestId, message: 'the user denied loading this tool' };
    if (req.status === 'expired') return { status: 'denied', request_id: requestId, message: 'the request expired before anyone decided it' };
    if (req.status !== 'approved') return undefined;
    clearTimeout(deadline);
    clearInterval(ticker);
    ctx.progress(stage + 0.99, total, 'approved; loading');
    const until = Date.now() + LOADING_WAIT_MS;
    while (Date.now() < until && !ctx.signal?.aborted) {
      await d.sync();
      const s = d.loaded().find(isThis);
      if (s) return { status: 'loaded', component_id: s.id, tools: s.tools };
      const failed = d.approvals.get(requestId)?.applyError;
      if (failed) throw new Error(`request ${requestId} was approved, but the component could not be loaded: ${failed}`);
      await sleep(250);
    }
    return undefined;
  } finally {
    clearTimeout(deadline);
    clearInterval(ticker);
    ctx.signal?.removeEventListener('abort', abort);
  }
}

/** What `approval_status` answers. */
export function approvalStatus(
  r: ApprovalRequest,
  loaded: ReadonlyArray<{ id: string; digest: string; tools: readonly string[] }>,
  now = Date.now(),
): Record<string, unknown> {
  const digest = (r.payload as { digest?: unknown } | null)?.digest;
  const component = r.kind !== 'grant' && r.appliedAt !== null ? loaded.find((c) => c.digest === digest) : undefined;
  // Claimed but not loaded: still fetching and transpiling within the time an approved load is waited for, else
  // it was loaded and has been unloaded or replaced since (it must not read as loading for ever).
  const missing = r.kind !== 'grant' && r.appliedAt !== null && !component && r.applyError === null;
  const stillLoading = missing && now - (r.appliedAt ?? 0) < LOADING_WAIT_MS;
  return {
    request_id: r.id,
    kind: r.kind,
    status: r.status,
    applied: r.appliedAt !== null,
    ...(r.decidedBy ? { decided_by: r.decidedBy } : {}),
    ...(r.componentId ? { component_id: r.componentId } : {}),
    ...(component ? { component_id: component.id, tools: component.tools } : {}),
    ...(r.applyError !== null ? { error: `approved, but it could not be carried out: ${r.applyError}` } : {}),
    ...(stillLoading ? { loading: true } : {}),
    ...(missing && !stillLoading ? { loaded: false, message: 'it was loaded, and has been unloaded or replaced by another version since' } : {}),
  };
}
