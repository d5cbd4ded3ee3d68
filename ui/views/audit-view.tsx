// Pure: the audit log view: newest first, filtered by component and outcome.
import { Box } from 'ink';
import { cell, clamp, visibleWindow, wrap } from '../text.js';
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

function entryText(e: AuditEntry): string {
  return [e.capability, e.target, e.detail].filter((x) => x !== null && x !== '').join(' ');
}

export function auditLine(e: AuditEntry, width: number): string {
  const time = new Date(e.ts).toISOString().slice(5, 19).replace('T', ' ');
  const what = entryText(e);
  return `${time} ${cell(e.componentId ?? '-', 14)} ${cell(e.tool ?? '-', 22)} ${cell(e.outcome, 8)} ${cell(what, Math.max(0, width - 63))}`;
}

export function AuditView(p: AuditViewProps) {
  const filter = `component: ${p.filter.componentId ?? 'all'}   outcome: ${p.filter.outcome ?? 'all'}   (c component · o outcome · x clear)`;
  const cursor = clamp(p.cursor, p.entries.length);
  const selected = p.entries[cursor];
  // The selected entry in full below the table, so a cut detail can still be read.
  const full = selected ? wrap(`${selected.tool ?? '-'} ${selected.outcome}: ${entryText(selected) || '(no detail)'}`, p.width).slice(0, 3) : [];
  const rows = Math.max(1, p.height - 3 - full.length);
  const win = visibleWindow(p.entries.length, cursor, rows);
  return (
    <Box flexDirection="column">
      <Line text={filter} width={p.width} tone="heading" />
      <Line text={`TIME           ${cell('COMPONENT', 14)} ${cell('TOOL', 22)} ${cell('OUTCOME', 8)} DETAIL`} width={p.width} tone="dim" />
      {p.entries.length === 0 ? <Line text="No audit entries match." width={p.width} /> : null}
      {p.entries.slice(win.start, win.end).map((e, i) => (
        <Line key={`${e.id}`} text={auditLine(e, p.width)} width={p.width} tone={outcomeTone(e.outcome)} selected={win.start + i === cursor} />
      ))}
      {full.length > 0 ? <Line text={'─'.repeat(p.width)} width={p.width} tone="dim" /> : null}
      {full.map((l, i) => (
        <Line key={`f${i}`} text={l} width={p.width} />
      ))}
    </Box>
  );
}
