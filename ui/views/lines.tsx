// Pure: one styled line of the UI, always cut to the width so nothing wraps or overflows the terminal.
import { Text } from 'ink';
import type { DetailLine, Tone } from '../request-details.js';
import { fit, wrap } from '../text.js';

const COLORS: Record<Tone, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  heading: { bold: true },
  new: { color: 'yellow' },
  held: { color: 'green' },
  warn: { color: 'yellow' },
  bad: { color: 'red', bold: true },
  dim: { dimColor: true },
  plain: {},
};

export function Line(props: { text: string; width: number; tone?: Tone; selected?: boolean }) {
  const style = COLORS[props.tone ?? 'plain'];
  return (
    <Text wrap="truncate-end" inverse={props.selected === true} {...style}>
      {fit(props.text, props.width)}
    </Text>
  );
}

/** Detail lines wrapped to the width (continuations indented), ready to be windowed. */
export function wrapDetails(lines: readonly DetailLine[], width: number): DetailLine[] {
  return lines.flatMap((l) => wrap(l.text, width, ' '.repeat(Math.min(l.indent ?? 0, Math.floor(width / 3)))).map((text) => ({ text, tone: l.tone })));
}
