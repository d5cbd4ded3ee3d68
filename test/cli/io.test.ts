// The CLI's table printer: columns line up, and a cell of several lines (a request's details) stays in its column.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { printTable } from '../../src/cli/io.js';

function printed(headers: string[], rows: string[][]): string[] {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  printTable(headers, rows);
  vi.restoreAllMocks();
  return out.split('\n').slice(0, -1);
}

afterEach(() => vi.restoreAllMocks());

describe('printTable', () => {
  it('pads each column to its widest cell', () => {
    expect(
      printed(
        ['ID', 'NAME'],
        [
          ['a', 'x'],
          ['bbb', 'yy'],
        ],
      ),
    ).toEqual(['ID   NAME', 'a    x', 'bbb  yy']);
  });

  it('prints the further lines of a cell under that cell, and sizes the column by its longest line', () => {
    const lines = printed(
      ['ID', 'REQUEST', 'AGE'],
      [
        ['r1', 'asks to load x\ndigest sha256:ab\ntools (1):', '2m'],
        ['r2', 'short', '5s'],
      ],
    );
    expect(lines).toEqual(['ID  REQUEST           AGE', 'r1  asks to load x    2m', '    digest sha256:ab', '    tools (1):', 'r2  short             5s']);
  });
});
