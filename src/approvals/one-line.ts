// Pure: text someone else wrote (a publisher, an agent, a file name), made one line before it reaches a prompt.

/** Control characters (C0, DEL, C1), line and paragraph separators, and bidi controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const UNPRINTABLE_RUNS = new RegExp(`${UNPRINTABLE.source}+`, 'g');

/**
 * Control characters (newlines, escapes, bidi controls) would let the text forge lines of a prompt (a fake "signed
 * by" line) or repaint a terminal: each run becomes one space; the result is trimmed and cut to `max` characters.
 */
export function oneLine(text: string, max: number): string {
  return text.replace(UNPRINTABLE_RUNS, ' ').trim().slice(0, max);
}
