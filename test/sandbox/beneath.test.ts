import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, currentPath, Escape, O_PATH, resolveBeneath } from '../../src/sandbox/beneath.js';

let root: string;
let base: string;
let fd: number;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-beneath-')));
  base = join(root, 'base');
  mkdirSync(join(base, 'a', 'b'), { recursive: true });
  writeFileSync(join(base, 'a', 'b', 'f'), 'x');
  symlinkSync('a/b', join(base, 'ab'));
  symlinkSync('../..', join(base, 'a', 'b', 'up2'));
  symlinkSync('..', join(base, 'a', 'up1'));
  symlinkSync('/etc', join(base, 'abs'));
  symlinkSync('f', join(base, 'a', 'b', 'lf'));
  symlinkSync('..', join(base, 'upb'));
  fd = openSync(base, O_PATH | constants.O_DIRECTORY);
});
afterAll(() => {
  closeSync(fd);
  rmSync(root, { recursive: true, force: true });
});

/** Where a resolution lands, as a host path, and that it closed what it opened. */
function lands(path: string, follow = false): string {
  const before = readdirSync('/proc/self/fd').length;
  const r = resolveBeneath(fd, path, follow);
  try {
    return join(currentPath(r.dir).path, r.name) + (r.mustBeDir ? '/' : '');
  } finally {
    r.release();
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  }
}

function escape(path: string, follow = false): Escape {
  try {
    resolveBeneath(fd, path, follow).release();
  } catch (e) {
    if (e instanceof Escape) return e;
    throw e;
  }
  throw new Error(`${path} resolved`);
}

describe('resolveBeneath', () => {
  it.each([
    ['a/b/f', false, 'a/b/f'],
    ['./a//b/./f', false, 'a/b/f'],
    ['a/b/../b/f', false, 'a/b/f'],
    ['a/..', false, '.'],
    ['ab/f', false, 'a/b/f'],
    ['ab', false, 'ab'],
    ['ab', true, 'a/b'],
    ['a/b/lf', true, 'a/b/f'],
    ['a/up1/a/b/f', false, 'a/b/f'],
    ['a/b/up2/a', false, 'a'],
    ['a/', false, 'a/'],
    ['ab/', false, 'a/b/'],
  ])('%s (follow final: %s) lands on %s', (path, follow, want) => {
    expect(lands(path, follow)).toBe(join(base, want));
  });

  it('reports a missing intermediate directory as the host error, closing what it opened', () => {
    const before = readdirSync('/proc/self/fd').length;
    expect(() => resolveBeneath(fd, 'a/missing/x', false)).toThrow(/ENOENT/);
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });

  it.each([
    ['/etc/passwd', 'absolute', '/etc/passwd'],
    ['..', 'climb', '@'],
    ['a/../../x', 'climb', '@/x'],
    ['abs/passwd', 'symlink-absolute', '/etc/passwd'],
    ['upb/x', 'symlink-climb', '@/x'],
    ['a/up1/upb/x', 'symlink-climb', '@/x'],
  ])('refuses %s as %s', (path, kind, lexical) => {
    const e = escape(path);
    expect(e.kind).toBe(kind);
    expect(e.lexical).toBe(lexical.replace('@', root));
  });

  it('follows a directory object, not a name: a renamed base keeps resolving beneath itself', () => {
    const d = openSync(join(base, 'a'), O_PATH | constants.O_DIRECTORY);
    try {
      renameSync(join(base, 'a'), join(base, 'a2'));
      symlinkSync('..', join(base, 'a'));
      const r = resolveBeneath(d, 'b/f', false);
      expect(join(currentPath(r.dir).path, r.name)).toBe(join(base, 'a2', 'b', 'f'));
      r.release();
      expect(at(d)).toBe(`/proc/self/fd/${d}`);
    } finally {
      rmSync(join(base, 'a'));
      renameSync(join(base, 'a2'), join(base, 'a'));
      closeSync(d);
    }
  });

  it('refuses NUL bytes, empty paths and overlong paths with WASI codes', () => {
    expect(() => resolveBeneath(fd, 'a\0b', false)).toThrow('invalid');
    expect(() => resolveBeneath(fd, '', false)).toThrow('no-entry');
    expect(() => resolveBeneath(fd, 'a/'.repeat(2100), false)).toThrow('name-too-long');
  });
});
