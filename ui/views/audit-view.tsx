// Pure: the audit log view: newest first, filtered by component and outcome.
import { Box } from 'ink';
import { cell, clamp, visibleWindow } from '../text.js';
import type { AuditEntry, AuditFilter } from '../types.js';
import { Line } from './lines.js';

export interface AuditViewProps {
  entries: AuditEntry[];
  filter: AuditFilter;
  cursor: number;
  width: number;
  height: number;
}

function outcomeTone(outcome: string) {
  return outcome === 'ok' || outcome === 'granted' || outcome === 'approved' ? 'plain' : outcome === 'pending' ? 'warn' : 'bad';
}

export function auditLine(e: AuditEntry, width: number): string {
  const time = new Date(e.ts).toISOString().slice(5, 19).replace('T', ' ');
  const what = [e.capability, e.target, e.detail].filter((x) => x !== null && x !== '').join(' ');
  return `${time} ${cell(e.componentId ?? '-', 14)} ${cell(e.tool ?? '-', 16)} ${cell(e.outcome, 8)} ${cell(what, Math.max(0, width - 57))}`;
}

export function AuditView(p: AuditViewProps) {
  const filter = `component: ${p.filter.componentId ?? 'all'}   outcome: ${p.filter.outcome ?? 'all'}   (c component · o outcome · x clear)`;
  const rows = Math.max(1, p.height - 2);
  const cursor = clamp(p.cursor, p.entries.length);
  const win = visibleWindow(p.entries.length, cursor, rows);
  return (
    <Box flexDirection="column">
      <Line text={filter} width={p.width} tone="heading" />
      <Line text={`TIME           ${cell('COMPONENT', 14)} ${cell('TOOL', 16)} ${cell('OUTCOME', 8)} DETAIL`} width={p.width} tone="dim" />
      {p.entries.length === 0 ? <Line text="No audit entries match." width={p.width} /> : null}
      {p.entries.slice(win.start, win.end).map((e, i) => (
        <Line key={`${e.id}`} text={auditLine(e, p.width)} width={p.width} tone={outcomeTone(e.outcome)} selected={win.start + i === cursor} />
      ))}
    </Box>
  );
}
