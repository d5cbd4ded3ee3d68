// Renders Ink elements with ink-testing-library and reads the last frame as plain text lines.
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { expect } from 'vitest';

export function lines(frame: string | undefined): string[] {
  return stripVTControlCharacters(frame ?? '').split('\n');
}

/** The rendered text of an element, checked to fit `width` columns and `height` rows. */
export function frameOf(el: ReactElement, width = 80, height?: number): string {
  const r = render(el);
  const out = lines(r.lastFrame());
  r.unmount();
  for (const l of out) expect(l.length, `line wider than ${width}: ${l}`).toBeLessThanOrEqual(width);
  if (height !== undefined) expect(out.length).toBeLessThanOrEqual(height);
  return out.join('\n');
}
