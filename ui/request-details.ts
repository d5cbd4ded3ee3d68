// Pure: what the approvals UI shows about a request: a one-line title for the list and every detail for the
// decision (source, digest, signature and signer, publisher annotations, tools, permissions new or held, changes
// against the loaded version, the agent's reason), as styled lines.
import type { LoadPayload } from '../src/approvals/load-request.js';
import { describeRecordedPolicy } from '../src/approvals/load-request.js';
import { describeRequest } from '../src/approvals/queue.js';
import type { ToolLoadPayload } from '../src/approvals/tool-request.js';
import { ruleFromLoad, type TrustSubject } from '../src/approvals/trust-rules.js';
import type { ApprovalRequest } from './types.js';

export type Tone = 'heading' | 'new' | 'held' | 'warn' | 'bad' | 'dim' | 'plain';

export interface DetailLine {
  text: string;
  tone: Tone;
  /** Continuation lines of a wrapped line are indented this much. */
  indent?: number;
}

/** One fact per line: a line break inside a field (an agent's reason or ref) would start a forged line at column 0. */
const line = (raw: string, tone: Tone = 'plain', indent?: number): DetailLine => {
  const text = raw.replace(/[\r\n]+/g, ' ');
  return indent === undefined ? { text, tone } : { text, tone, indent };
};

function field(payload: unknown, key: string): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const v = (payload as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

function toolPayload(r: ApprovalRequest): ToolLoadPayload | undefined {
  const p = r.payload as ToolLoadPayload | null;
  return p && typeof p.source === 'string' && Array.isArray(p.tools) && Array.isArray(p.permissions) ? p : undefined;
}

/** Whether "approve and trust" can make a rule from this request (an OCI load whose signature did not fail). */
export function canTrust(r: ApprovalRequest): boolean {
  if (r.kind === 'grant') return false;
  const s = (r.payload as { subject?: TrustSubject } | null)?.subject;
  if (!s || typeof s.source !== 'string' || !Array.isArray(s.permissions) || typeof s.signature?.status !== 'string') return false;
  return ruleFromLoad(s, '') !== undefined;
}

/** The tone a signature line deserves: verified is fine, unsigned is a warning, anything else is bad. */
export function signatureTone(signature: string): Tone {
  if (signature.startsWith('verified') || signature.startsWith('signed')) return 'held';
  if (signature.startsWith('unsigned')) return 'warn';
  return 'bad';
}

/** One line for the list: what is asked, without the details. */
export function requestTitle(r: ApprovalRequest): string {
  switch (r.kind) {
    case 'load_tool':
      return `add tool ${toolPayload(r)?.source ?? field(r.payload, 'ref') ?? '?'}`;
    case 'load_component':
      return `load ${field(r.payload, 'source') ?? field(r.payload, 'path') ?? '?'}`;
    case 'grant':
      return (describeRequest(r).split('\n')[0] ?? '').replace(/^.*? asks to give component /, 'grant ');
  }
}

function toolLoadDetails(p: ToolLoadPayload): DetailLine[] {
  const out: DetailLine[] = [line(`Source     ${p.source}`, 'plain', 11)];
  if (p.ref !== p.source) out.push(line(`Asked as   ${p.ref}`, 'dim', 11));
  out.push(line(`Digest     ${p.digest}`, 'plain', 11));
  out.push(line(`Signature  ${p.signature}`, signatureTone(p.signature), 11));
  for (const [k, v] of Object.entries(p.publisher)) out.push(line(`Publisher  ${k}: ${v}`, 'plain', 11));
  out.push(line(`Tools it adds (${p.tools.length})`, 'heading'));
  for (const t of p.tools) out.push(line(`  ${t.name}: ${(t.description.split('\n')[0] ?? '').slice(0, 200)}`, 'plain', 4));
  if (p.permissions.length === 0) out.push(line('Permissions: none (no files, network or environment)', 'heading'));
  else {
    out.push(line(`Permissions requested (${p.permissions.length})`, 'heading'));
    for (const a of p.permissions) out.push(line(`  ${a.held ? '[held]' : '[new] '} ${a.permission}`, a.held ? 'held' : 'new', 9));
  }
  if (p.changes) {
    const c = p.changes;
    out.push(line(`Replaces the loaded version ${c.from}`, 'heading', 2));
    if (c.toolsAdded.length) out.push(line(`  tools added: ${c.toolsAdded.join(', ')}`, 'new', 4));
    if (c.toolsRemoved.length) out.push(line(`  tools removed: ${c.toolsRemoved.join(', ')}`, 'warn', 4));
    if (c.permissionsAdded.length) out.push(line(`  permissions added: ${c.permissionsAdded.join(', ')}`, 'new', 4));
    if (!c.toolsAdded.length && !c.toolsRemoved.length && !c.permissionsAdded.length) out.push(line('  same tools and permissions', 'dim'));
  }
  out.push(line(`Reason     ${p.reason ? p.reason.slice(0, 500) : '(none given)'}`, p.reason ? 'plain' : 'dim', 11));
  return out;
}

function loadComponentDetails(r: ApprovalRequest): DetailLine[] {
  const p = (r.payload ?? {}) as LoadPayload;
  const out: DetailLine[] = [line(`Source     ${p.source ?? p.path ?? '?'}`, 'plain', 11)];
  if (p.path !== undefined && p.path !== p.source) out.push(line(`Asked as   ${p.path}`, 'dim', 11));
  out.push(line(`Digest     ${p.digest ?? 'not recorded'}`, p.digest ? 'plain' : 'warn', 11));
  const [first, ...rest] = describeRecordedPolicy(p.policy).split('\n');
  out.push(line(`${(first ?? '').replace(/^starting policy/, 'Starting policy')}`, 'heading', 2));
  for (const l of rest) if (l.trim() !== '') out.push(line(`  ${l}`, 'new', 4));
  return out;
}

/** Every detail of a request, one fact per line. */
export function requestDetails(r: ApprovalRequest): DetailLine[] {
  const head = [line(`${r.kind} request ${r.id}`, 'dim'), line(`Asked by   ${r.requestedBy}`, 'plain', 11)];
  const status = r.status === 'pending' ? [] : [line(`Status     ${r.status}${r.decidedBy ? ` by ${r.decidedBy}` : ''}`, 'warn', 11)];
  switch (r.kind) {
    case 'load_tool': {
      const p = toolPayload(r);
      return [
        ...head,
        ...status,
        ...(p
          ? toolLoadDetails(p)
          : describeRequest(r)
              .split('\n')
              .map((l) => line(l, 'plain', 2))),
      ];
    }
    case 'load_component':
      return [...head, ...status, ...loadComponentDetails(r)];
    case 'grant':
      return [
        ...head,
        ...status,
        line(`Component  ${r.componentId ?? '?'}`, 'plain', 11),
        ...describeRequest(r)
          .split('\n')
          .map((l) => line(l.replace(/^.*? asks to give /, 'Grant: give '), 'new', 2)),
      ];
  }
}
