// Pure: a scrolling list with the selected item's details below it, or (when opened) its details filling the
// body and scrolling. Shared by the pending requests, components and trust rules views.
import { Box } from 'ink';
import type { ReactNode } from 'react';
import type { DetailLine } from '../request-details.js';
import { visibleWindow } from '../text.js';
import { Line, wrapDetails } from './lines.js';

export interface ListDetailProps {
  rows: string[];
  /** Tone of each row (defaults to plain). */
  rowTones?: Array<DetailLine['tone']>;
  cursor: number;
  details: DetailLine[];
  /** The details fill the body. */
  open: boolean;
  scroll: number;
  width: number;
  height: number;
  /** Shown when there are no rows. */
  empty: ReactNode;
  /** The details pane's title (e.g. "Request 2/5"). */
  title: string;
}

/** The last useful first line of opened details (one row is the title). */
export function scrollLimit(details: readonly DetailLine[], width: number, height: number): number {
  return Math.max(0, wrapDetails(details, width).length - Math.max(1, height - 1));
}

export function ListDetail(p: ListDetailProps) {
  const { width, height } = p;
  if (p.rows.length === 0) return <Box flexDirection="column">{p.empty}</Box>;
  const wrapped = wrapDetails(p.details, width);
  if (p.open) {
    const room = Math.max(1, height - 1);
    const maxScroll = Math.max(0, wrapped.length - room);
    const scroll = Math.min(p.scroll, maxScroll);
    const shown = wrapped.slice(scroll, scroll + room);
    const where = wrapped.length > room ? ` lines ${scroll + 1}-${scroll + shown.length} of ${wrapped.length} (↑↓ scroll)` : '';
    return (
      <Box flexDirection="column">
        <Line text={`${p.title}${where}  ·  enter/esc back`} width={width} tone="heading" />
        {shown.map((l, i) => (
          <Line key={`${scroll + i}`} text={l.text} tone={l.tone} width={width} />
        ))}
      </Box>
    );
  }
  const listRows = Math.min(p.rows.length, Math.max(3, Math.floor((height - 1) / 3)), Math.max(1, height - 2));
  const win = visibleWindow(p.rows.length, p.cursor, listRows);
  const more = win.end < p.rows.length || win.start > 0 ? ` (${p.cursor + 1}/${p.rows.length})` : '';
  const room = Math.max(0, height - (win.end - win.start) - 1);
  const cut = wrapped.length > room;
  const preview = cut ? wrapped.slice(0, Math.max(0, room - 1)) : wrapped;
  return (
    <Box flexDirection="column">
      {p.rows.slice(win.start, win.end).map((r, i) => {
        const index = win.start + i;
        return (
          <Line
            key={`${index}`}
            text={`${index === p.cursor ? '›' : ' '} ${r}`}
            width={width}
            selected={index === p.cursor}
            tone={p.rowTones?.[index] ?? 'plain'}
          />
        );
      })}
      <Line text={`── ${p.title}${more} ${'─'.repeat(width)}`.slice(0, width)} width={width} tone="dim" />
      {preview.map((l, i) => (
        <Line key={`d${i}`} text={l.text} tone={l.tone} width={width} />
      ))}
      {cut && room > 0 ? <Line text={`… ${wrapped.length - preview.length} more lines: enter shows all`} width={width} tone="dim" /> : null}
    </Box>
  );
}
