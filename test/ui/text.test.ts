// Text fitting for a fixed-size terminal.
import { describe, expect, it } from 'vitest';
import { age, fit, printable, visibleWindow, wrap } from '../../ui/text.js';

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

  it('nothing printed can steer the terminal: escapes, C1 controls, bidi overrides and line separators are replaced', () => {
    expect(printable('ok\x1b[2J\x1b[31mred\x07')).toBe('ok\ufffd[2J\ufffd[31mred\ufffd');
    expect(printable('a\u202eb\u2066c\u2028d\x9be')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde');
    expect(printable('tab\there\nnew')).toBe('tab here new');
    expect(fit('x\x1b]0;title\x07y', 80)).toBe('x\ufffd]0;title\ufffdy');
    expect(wrap('line one\x1b[A\nline two\u202e', 80)).toEqual(['line one\ufffd[A', 'line two\ufffd']);
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
