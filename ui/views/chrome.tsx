// Pure: the frame around a view: the tab bar with counts on top, the status line and the key help below.
import { Box, Text } from 'ink';
import { fit } from '../text.js';
import { VIEWS, type Snapshot, type ViewName } from '../types.js';
import { Line } from './lines.js';

const LABELS: Record<ViewName, string> = { pending: 'Pending', components: 'Components', trust: 'Trust rules', audit: 'Audit log' };

export function TabBar(props: { view: ViewName; snapshot: Snapshot; width: number }) {
  const counts: Record<ViewName, number | undefined> = {
    pending: props.snapshot.pending.length,
    components: props.snapshot.components.length,
    trust: props.snapshot.trust.length,
    audit: undefined,
  };
  let used = 0;
  const parts = VIEWS.map((v, i) => {
    const text = ` ${i + 1} ${LABELS[v]}${counts[v] === undefined ? '' : ` (${counts[v]})`} `;
    const shown = fit(text, Math.max(0, props.width - used));
    used += shown.length;
    return { v, shown };
  });
  return (
    <Box>
      {parts.map(({ v, shown }) => (
        <Text key={v} inverse={v === props.view} bold={v === props.view} color={v === 'pending' && (counts.pending ?? 0) > 0 ? 'yellow' : undefined}>
          {shown}
        </Text>
      ))}
    </Box>
  );
}

/** The keys that work here; `trustable` false (a file or https load) leaves out "approve and trust". */
export function keyHelp(view: ViewName, open: boolean, confirming: boolean, kind?: string, trustable = true): string {
  if (confirming) return 'y revoke · any other key keeps the rule';
  const common = 'tab view · q quit';
  switch (view) {
    case 'pending':
      if (kind === 'grant') return `a approve always · s session only · d deny · ${open ? 'esc back' : 'enter more'} · ${common}`;
      return `a approve once · ${trustable ? 't approve+trust · ' : ''}d deny · ${open ? 'esc back' : 'enter more'} · ${common}`;
    case 'components':
      return `↑↓/jk move · ${open ? 'esc back' : 'enter details'} · ${common}`;
    case 'trust':
      return `↑↓/jk move · r revoke · ${common}`;
    case 'audit':
      return `↑↓/jk scroll · c component · o outcome · x clear · ${common}`;
  }
}

export function StatusLine(props: { text: string; tone: 'plain' | 'bad' | 'held' | 'warn'; width: number }) {
  return <Line text={props.text} tone={props.tone} width={props.width} />;
}
