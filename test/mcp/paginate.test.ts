import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, paginate } from '../../src/mcp/paginate.js';
import { isWassetteError } from '../../src/errors.js';

const items = ['a', 'b', 'c', 'd', 'e'];
const key = (x: string) => x;

function walk(list: readonly string[], pageSize: number): string[][] {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const p = paginate(list, key, { list: 'tools', pageSize, cursor });
    pages.push(p.items);
    cursor = p.nextCursor;
  } while (cursor !== undefined);
  return pages;
}

describe('paginate', () => {
  it.each([
    [1, [['a'], ['b'], ['c'], ['d'], ['e']]],
    [2, [['a', 'b'], ['c', 'd'], ['e']]],
    [5, [items]],
    [500, [items]],
  ])('page size %i', (size, pages) => {
    expect(walk(items, size)).toEqual(pages);
  });

  it('no nextCursor when everything fits, also for an empty list', () => {
    expect(paginate(items, key, { list: 'tools', pageSize: 5 }).nextCursor).toBeUndefined();
    expect(paginate([], key, { list: 'tools', pageSize: 5 })).toEqual({ items: [] });
  });

  it('a cursor continues after its item even when items were added before it', () => {
    const first = paginate(items, key, { list: 'tools', pageSize: 2 });
    const grown = ['0', ...items];
    expect(paginate(grown, key, { list: 'tools', pageSize: 2, cursor: first.nextCursor }).items).toEqual(['c', 'd']);
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['empty', ''],
    ['json but not ours', Buffer.from('{"x":1}').toString('base64url')],
    ['another list', encodeCursor('resources', 'a')],
    ['gone item', encodeCursor('tools', 'zz')],
  ])('refuses a %s cursor with an invalid-argument error', (_label, cursor) => {
    let err: unknown;
    try {
      paginate(items, key, { list: 'tools', pageSize: 2, cursor });
    } catch (e) {
      err = e;
    }
    expect(isWassetteError(err, 'invalid-argument')).toBe(true);
    expect((err as Error).message).toMatch(/^invalid cursor: /);
  });

  it('round-trips keys with any characters', () => {
    expect(decodeCursor('tools', encodeCursor('tools', 'x/ü "q"'))).toBe('x/ü "q"');
  });
});
