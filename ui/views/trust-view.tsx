// Pure: the trust rules view ("trust this publisher"): every rule, what it covers, who made it; revoke asks first.
import { describeRule } from '../../src/approvals/trust-rules.js';
import type { DetailLine } from '../request-details.js';
import { clamp } from '../text.js';
import type { TrustRule } from '../types.js';
import { Line } from './lines.js';
import { ListDetail } from './list-detail.js';

export interface TrustViewProps {
  rules: TrustRule[];
  cursor: number;
  width: number;
  height: number;
}

export function ruleDetails(r: TrustRule): DetailLine[] {
  return [
    { text: `Rule       ${r.id}`, tone: 'plain', indent: 11 },
    { text: `Covers     oci://${r.registry}/${r.repositoryPrefix} and everything below it`, tone: 'plain', indent: 11 },
    { text: `Signer     ${r.signer ?? 'any or none (never a failed signature)'}`, tone: r.signer ? 'held' : 'warn', indent: 11 },
    {
      text: `Ceiling    ${r.maxPermissions === null ? 'any permissions' : r.maxPermissions.length === 0 ? 'no permissions' : r.maxPermissions.join('; ')}`,
      tone: r.maxPermissions === null ? 'warn' : 'plain',
      indent: 11,
    },
    { text: `Made       ${new Date(r.createdAt).toISOString().slice(0, 19).replace('T', ' ')} by ${r.createdBy} (${r.origin})`, tone: 'dim', indent: 11 },
  ];
}

export function TrustView(p: TrustViewProps) {
  const cursor = clamp(p.cursor, p.rules.length);
  const selected = p.rules[cursor];
  return (
    <ListDetail
      rows={p.rules.map((r) => describeRule(r))}
      cursor={cursor}
      details={selected ? ruleDetails(selected) : []}
      open={false}
      scroll={0}
      width={p.width}
      height={p.height}
      empty={<Line text="No trust rules. Approving with t (approve and trust) makes one." width={p.width} />}
      title={selected ? `Trust rule ${selected.id}` : ''}
    />
  );
}
