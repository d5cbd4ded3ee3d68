// Pure: the screen `wassette approvals` shows while Ink and React load (about 0.5-0.8 s of imports on Node 20): the
// queue as plain text, so the person sees what waits at once. Ink clears it and takes over with its first frame.
import { describeRequest } from '../src/approvals/queue.js';
import type { ApprovalRequest } from '../src/store/approvals.js';
import { fit, printable } from './text.js';

/** The plain first screen: the view tabs, the first pending request and the rest of the queue, cut to the terminal. */
export function prePaint(pending: readonly ApprovalRequest[], columns: number, rows: number): string {
  const width = Math.max(20, columns);
  const lines = [`[1 Pending (${pending.length})]  2 Components  3 Trust rules  4 Audit log`, ''];
  if (pending.length === 0) lines.push('No pending requests. New ones appear here within a second (with a bell).');
  else {
    lines.push(`Request 1/${pending.length}`);
    for (const r of pending.slice(0, Math.max(1, rows - 5))) lines.push(`  ${r.kind} ${r.id.slice(0, 8)}: ${describeRequest(r).split('\n')[0] ?? ''}`);
  }
  lines.push('', 'starting the keys…');
  // Alternate screen, cursor home, clear; every line cut to the width and made printable.
  return `\x1b[?1049h\x1b[H\x1b[2J${lines
    .slice(0, Math.max(1, rows - 1))
    .map((l) => fit(printable(l), width))
    .join('\r\n')}`;
}
