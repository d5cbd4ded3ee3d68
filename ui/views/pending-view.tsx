// Pure: the pending requests view: the queue, the selected request's every detail, and recent decisions.
import { Box } from 'ink';
import { requestDetails, requestTitle } from '../request-details.js';
import { age, clamp } from '../text.js';
import type { ApprovalRequest, DecisionOutcome } from '../types.js';
import { Line } from './lines.js';
import { ListDetail } from './list-detail.js';

export interface PendingViewProps {
  requests: ApprovalRequest[];
  cursor: number;
  open: boolean;
  scroll: number;
  width: number;
  height: number;
  now: number;
  /** The request being decided right now. */
  busy?: string | undefined;
  decisions: DecisionOutcome[];
}

/** One line saying what came of a decision. */
export function outcomeLine(d: DecisionOutcome): string {
  const scoped: Record<string, string> = {
    trust: 'approved and trusted',
    once: 'approved once',
    always: 'approved always',
    session: 'approved for this session',
  };
  const what = d.status === 'approved' ? (scoped[d.scope ?? ''] ?? 'approved') : d.status;
  const rule = d.rule ? ` (trust rule ${d.rule.id})` : '';
  return `${what} ${d.requestId.slice(0, 8)}${rule}${d.note ? `: ${d.note}` : ''}`;
}

export function PendingView(p: PendingViewProps) {
  const cursor = clamp(p.cursor, p.requests.length);
  const selected = p.requests[cursor];
  const rows = p.requests.map((r) => `${age(r.createdAt, p.now).padStart(3)}  ${r.id === p.busy ? '(deciding…) ' : ''}${requestTitle(r)}`);
  const recent = p.decisions.slice(-Math.max(1, p.height - 3)).reverse();
  const empty = (
    <Box flexDirection="column">
      <Line text="No pending requests. New ones appear here within a second (with a bell)." width={p.width} />
      <Line text="" width={p.width} />
      {recent.length > 0 ? <Line text="Decided in this session:" width={p.width} tone="heading" /> : null}
      {recent.map((d, i) => (
        <Line key={`${i}`} text={`  ${outcomeLine(d)}`} width={p.width} tone={d.status === 'error' ? 'bad' : d.status === 'denied' ? 'warn' : 'held'} />
      ))}
    </Box>
  );
  return (
    <ListDetail
      rows={rows}
      cursor={cursor}
      details={selected ? requestDetails(selected) : []}
      open={p.open}
      scroll={p.scroll}
      width={p.width}
      height={p.height}
      empty={empty}
      title={`Request ${cursor + 1}/${p.requests.length}`}
    />
  );
}
