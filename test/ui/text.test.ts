// Text fitting for a fixed-size terminal.
import { describe, expect, it } from 'vitest';
import { age, fit, visibleWindow, wrap } from '../../ui/text.js';

describe('text fitting', () => {
  it('fit cuts with an ellipsis and flattens newlines', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab\ncd', 10)).toBe('ab cd');
    expect(fit('abc', 0)).toBe('');
  });

  it('wrap breaks at spaces where it can, hard elsewhere, and indents continuations', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('x'.repeat(10), 4, '  ')).toEqual(['xxxx', '  xx', '  xx', '  xx']);
    expect(wrap('a\nb', 5)).toEqual(['a', 'b']);
    for (const l of wrap('word '.repeat(100), 80, '    ')) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('visibleWindow keeps the cursor inside and the window full', () => {
    expect(visibleWindow(5, 3, 10)).toEqual({ start: 0, end: 5 });
    expect(visibleWindow(100, 0, 10)).toEqual({ start: 0, end: 10 });
    expect(visibleWindow(100, 50, 10)).toEqual({ start: 45, end: 55 });
    expect(visibleWindow(100, 99, 10)).toEqual({ start: 90, end: 100 });
  });

  it('age is short', () => {
    expect(age(0, 42_000)).toBe('42s');
    expect(age(0, 5 * 60_000)).toBe('5m');
    expect(age(0, 3 * 3600_000)).toBe('3h');
    expect(age(0, 2 * 86_400_000)).toBe('2d');
  });
});
