import { describe, expect, it } from 'vitest';
import { checkSubpath, isWithin, symlinkStaysWithin } from '../../src/sandbox/path-guard.js';

describe('checkSubpath', () => {
  it.each([
    ['a.txt', ['a.txt']],
    ['./a/./b/', ['a', 'b']],
    ['a/../b', ['b']],
    ['a//b', ['a', 'b']],
    ['', []],
    ['.', []],
    ['a/..', []],
  ])('accepts %j as %j', (p, segments) => {
    expect(checkSubpath(p)).toEqual({ ok: true, segments });
  });

  it.each(['/etc/passwd', '..', '../x', 'a/../../x', 'a/b/../../..', '\\etc\\passwd', '..\\x', 'a\0b'])('refuses %j', (p) => {
    expect(checkSubpath(p).ok).toBe(false);
  });
});

describe('isWithin', () => {
  it.each([
    ['/data', '/data', true],
    ['/data', '/data/x', true],
    ['/data/', '/data/x', true],
    ['/data', '/data2', false],
    ['/data', '/', false],
    ['/', '/anything', true],
  ])('%s contains %s: %s', (root, p, expected) => {
    expect(isWithin(root, p)).toBe(expected);
  });
});

describe('symlinkStaysWithin', () => {
  it.each([
    ['/g', '/g/link', 'a.txt', true],
    // Relative and free of `..` only: `../a.txt` is inside /g here but points out once `sub` is moved to the top.
    ['/g', '/g/sub/link', '../a.txt', false],
    ['/g', '/g/sub/link', 'b/c.txt', true],
    ['/g', '/g/link', '../etc/passwd', false],
    ['/g', '/g/sub/link', '../../x', false],
    ['/g', '/g/link', '/etc/passwd', false],
    ['/g', '/g/link', '/g/a.txt', false],
    // `..` after a name climbs from wherever that name really leads (a symlink to `.` makes `l1/..` the parent of /g).
    ['/g', '/g/l2', 'l1/..', false],
    ['/g', '/g/sub/l2', 'l1/../x', false],
    ['/g', '/g/l2', './l1/./..', false],
    ['/g', '/g/sub/link', './../a/b', false],
  ])('root %s link %s -> %s: %s', (root, link, target, expected) => {
    expect(symlinkStaysWithin(root, link, target)).toBe(expected);
  });
});
