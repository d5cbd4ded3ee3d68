// Pure text fitting for a fixed-size terminal: make text safe to print, cut a line to a width, wrap it, and pick
// the visible window of a list.
import { UNPRINTABLE } from '../src/approvals/one-line.js';

/**
 * Text from agents, publishers and components made printable on one line: tabs and newlines become spaces, every
 * other steering character a visible `�`, so nothing shown can move the cursor, recolour or fake a line.
 */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    out += c === 0x09 || c === 0x0a || c === 0x0d ? ' ' : UNPRINTABLE.test(ch) ? '\ufffd' : ch;
  }
  return out;
}

/** Cuts `text` to at most `width` columns (one line), ending with an ellipsis when cut. */
export function fit(text: string, width: number): string {
  const flat = printable(text.replace(/[\r\n\t]+/g, ' '));
  if (width <= 0) return '';
  if (flat.length <= width) return flat;
  return width === 1 ? '…' : `${flat.slice(0, width - 1)}…`;
}

/** Pads or cuts `text` to exactly `width` columns. */
export function cell(text: string, width: number): string {
  return fit(text, width).padEnd(Math.max(0, width));
}

/** Hard-wraps `text` (which may hold newlines) to lines of at most `width` columns, preferring breaks at spaces. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const raw of text.replace(/\t/g, '  ').split('\n')) {
    let line = printable(raw);
    let prefix = '';
    if (line.length <= w) {
      out.push(line);
      continue;
    }
    while (line.length > 0) {
      const room = Math.max(1, w - prefix.length);
      if (line.length <= room) {
        out.push(prefix + line);
        break;
      }
      const space = line.lastIndexOf(' ', room);
      const cut = space > room / 2 ? space : room;
      out.push(prefix + line.slice(0, cut));
      line = line.slice(cut).replace(/^ /, '');
      prefix = indent;
    }
  }
  return out;
}

/** The slice of a list of `count` rows that keeps `cursor` visible in `height` rows, keeping it away from the edges. */
export function visibleWindow(count: number, cursor: number, height: number): { start: number; end: number } {
  const h = Math.max(1, height);
  if (count <= h) return { start: 0, end: count };
  const c = Math.min(Math.max(0, cursor), count - 1);
  const start = Math.min(Math.max(0, c - Math.floor(h / 2)), count - h);
  return { start, end: start + h };
}

/** `12s`, `5m`, `3h`, `2d` ago. */
export function age(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

export function clamp(n: number, count: number): number {
  return count <= 0 ? 0 : Math.min(Math.max(0, n), count - 1);
}
