// Plain data for the approvals UI's component tests, and a UiData over it that records what the UI asked for.
import type { ApprovalRequest, AuditEntry, AuditFilter, Choice, ComponentInfo, DecisionOutcome, Snapshot, TrustRule, UiData } from '../../ui/types.js';
import type { ToolLoadPayload } from '../../src/approvals/tool-request.js';

export const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const DIGEST = `sha256:${'ab'.repeat(32)}`;

export function toolPayload(over: Partial<ToolLoadPayload> = {}): ToolLoadPayload {
  return {
    ref: 'oci://registry.example:5000/acme/text-tools:1.2',
    source: `oci://registry.example:5000/acme/text-tools@${DIGEST}`,
    digest: DIGEST,
    policy: { yaml: null, digest: null, origin: null, permissions: null },
    reason: 'the user wants the words of report.txt counted',
    signature: 'verified (cosign) by sha256:feedbeef',
    publisher: { description: 'Text utilities', version: '1.2.0', licence: 'Apache-2.0', 'source repository': 'https://github.com/acme/text-tools' },
    tools: [
      { name: 'text_tools_word_count', description: 'Counts the words in a text.' },
      { name: 'text_tools_reverse', description: 'Reverses a string.\nSecond line never shown.' },
    ],
    permissions: [
      { permission: 'network: api.example.com', held: false },
      { permission: 'environment: LANG', held: true },
    ],
    subject: {
      source: `oci://registry.example:5000/acme/text-tools@${DIGEST}`,
      signature: { status: 'verified', signer: 'sha256:feedbeef' },
      permissions: ['network: api.example.com', 'environment: LANG'],
    },
    changes: {
      from: `sha256:${'cd'.repeat(32)}`,
      toolsAdded: ['text_tools_reverse'],
      toolsRemoved: ['text_tools_old'],
      permissionsAdded: ['network: api.example.com'],
    },
    ...over,
  };
}

export function request(over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'req-tool-0001',
    kind: 'load_tool',
    componentId: null,
    payload: toolPayload(),
    requestedBy: 'agent (test-client)',
    status: 'pending',
    createdAt: NOW - 42_000,
    decidedAt: null,
    decidedBy: null,
    appliedAt: null,
    scope: null,
    applyError: null,
    ...over,
  };
}

export const grantRequest = (over: Partial<ApprovalRequest> = {}): ApprovalRequest =>
  request({
    id: 'req-grant-0002',
    kind: 'grant',
    componentId: 'wasi-env',
    payload: { kind: 'environment', key: 'PROBE_VAR', component_source: 'file:///fixtures/wasi-env.wasm', component_digest: 'sha256:1111' },
    requestedBy: 'agent',
    ...over,
  });

export const loadRequest = (over: Partial<ApprovalRequest> = {}): ApprovalRequest =>
  request({
    id: 'req-load-0003',
    kind: 'load_component',
    payload: {
      path: '/fixtures/wasi-env.wasm',
      source: 'file:///fixtures/wasi-env.wasm',
      digest: 'sha256:2222',
      policy: {
        yaml: 'x',
        digest: 'sha256:3333',
        origin: 'policy.yaml',
        permissions: { version: '1.0', permissions: { network: { allow: [{ host: 'api.example.com' }] } } },
      },
    },
    ...over,
  });

export function component(over: Partial<ComponentInfo> = {}): ComponentInfo {
  return {
    id: 'text-tools',
    source: `oci://registry.example:5000/acme/text-tools@${DIGEST}`,
    digest: DIGEST,
    tools: ['text_tools_word_count', 'text_tools_reverse'],
    signature: 'verified (cosign) by sha256:feedbeef',
    policyYaml: 'version: "1.0"\npermissions:\n  network:\n    allow:\n      - host: api.example.com\n',
    grants: ['network access to api.example.com'],
    ...over,
  };
}

export function rule(over: Partial<TrustRule> = {}): TrustRule {
  return {
    id: 'tr-0001',
    registry: 'registry.example:5000',
    repositoryPrefix: 'acme/text-tools',
    signer: 'sha256:feedbeef',
    maxPermissions: ['network: api.example.com'],
    createdAt: NOW - 3600_000,
    createdBy: 'user (ui)',
    origin: 'user',
    ...over,
  };
}

export function audit(id: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    ts: NOW - id * 1000,
    componentId: 'text-tools',
    tool: 'text_tools_word_count',
    durationMs: 1.5,
    outcome: 'ok',
    capability: null,
    target: null,
    detail: null,
    ...over,
  };
}

export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    pending: [request(), grantRequest()],
    components: [
      component(),
      component({
        id: 'wasi-env',
        source: 'file:///fixtures/wasi-env.wasm',
        digest: 'sha256:1111',
        tools: ['has_env'],
        signature: 'unsigned',
        grants: [],
        policyYaml: '',
      }),
    ],
    trust: [rule()],
    audit: [audit(1), audit(2, { componentId: 'wasi-env', tool: 'has_env', outcome: 'denied', capability: 'environment', target: 'SECRET' })],
    ...over,
  };
}

/** A UiData over a mutable snapshot that records every call. */
export class RecordingData implements UiData {
  current: Snapshot;
  readonly decided: Array<{ id: string; choice: Choice }> = [];
  readonly revoked: string[] = [];
  readonly filters: AuditFilter[] = [];
  failNext?: Error;

  constructor(s: Snapshot = snapshot()) {
    this.current = s;
  }

  async snapshot(filter: AuditFilter): Promise<Snapshot> {
    this.filters.push(filter);
    const audit = this.current.audit.filter(
      (e) => (filter.componentId === undefined || e.componentId === filter.componentId) && (filter.outcome === undefined || e.outcome === filter.outcome),
    );
    return { ...this.current, audit };
  }

  async decide(id: string, choice: Choice): Promise<DecisionOutcome> {
    this.decided.push({ id, choice });
    if (this.failNext) {
      const e = this.failNext;
      delete this.failNext;
      throw e;
    }
    const grant = this.current.pending.find((r) => r.id === id)?.kind === 'grant';
    this.current = { ...this.current, pending: this.current.pending.filter((r) => r.id !== id) };
    const status = choice === 'deny' ? 'denied' : 'approved';
    const scope = choice === 'deny' ? undefined : choice === 'approve' ? (grant ? 'always' : 'once') : choice;
    return {
      requestId: id,
      choice,
      status,
      applied: choice !== 'deny',
      ...(scope ? { scope } : {}),
      ...(choice === 'deny' ? {} : { note: 'loaded text-tools: text_tools_word_count, text_tools_reverse' }),
      ...(choice === 'trust' ? { rule: rule({ id: 'tr-new1' }) } : {}),
      at: NOW,
    };
  }

  async revokeTrust(id: string): Promise<string> {
    this.revoked.push(id);
    this.current = { ...this.current, trust: this.current.trust.filter((r) => r.id !== id) };
    return `revoked trust rule ${id}`;
  }
}
