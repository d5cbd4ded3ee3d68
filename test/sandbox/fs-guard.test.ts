import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { guardFilesystem } from '../../src/sandbox/fs-guard.js';
import { resolveReal } from '../../src/sandbox/symlink-guard.js';
import type { Denial, FsPreopen } from '../../src/sandbox/spec.js';

type D = Record<string, (...a: unknown[]) => unknown>;
let root: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-fsguard-')));
  for (const d of ['ro', 'rw', 'wo', 'out', 'ro/sub']) mkdirSync(join(root, d));
  writeFileSync(join(root, 'ro', 'a.txt'), 'alpha');
  writeFileSync(join(root, 'wo', 'w.txt'), 'w');
  symlinkSync('sub', join(root, 'ro', 'sub-link'));
  symlinkSync('../out', join(root, 'ro', 'out-link'));
  symlinkSync('/etc', join(root, 'ro', 'etc-link'));
  symlinkSync('loop2', join(root, 'ro', 'loop1'));
  symlinkSync('loop1', join(root, 'ro', 'loop2'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveReal', () => {
  it.each([
    [['a.txt'], true, 'ro/a.txt'],
    [['sub-link', 'x'], true, 'ro/sub/x'],
    [['sub-link'], false, 'ro/sub-link'],
    [['out-link', 'secret'], true, 'out/secret'],
    [['missing', 'deeper'], true, 'ro/missing/deeper'],
  ])('%j (follow final: %s) -> %s', (segments, follow, expected) => {
    expect(resolveReal(join(root, 'ro'), segments, follow)).toBe(join(root, expected));
  });

  it('follows absolute links to where they really point', () => {
    expect(resolveReal(join(root, 'ro'), ['etc-link', 'passwd'], true)).toBe(realpathSync('/etc') + '/passwd');
  });

  it('reports symlink loops', () => {
    expect(() => resolveReal(join(root, 'ro'), ['loop1'], true)).toThrow('loop');
  });
});

function setup(grants: FsPreopen[]) {
  const denials: Denial[] = [];
  const base = new WASIShim({ sandbox: { preopens: {} } } as never).getImportObject() as Record<string, unknown>;
  const fs = guardFilesystem(base['wasi:filesystem/types'], grants, (d) => denials.push(d));
  const dirs = (fs['wasi:filesystem/preopens'] as { getDirectories(): [D, string][] }).getDirectories();
  const byPath = (p: string) => dirs.find(([, g]) => g === p)![0];
  return { fs, denials, byPath };
}

describe('guardFilesystem', () => {
  const follow = { symlinkFollow: true };

  it('refuses hard-linking a read-only file into a writable grant', () => {
    const ro = join(root, 'ro');
    const rw = join(root, 'rw');
    const { byPath, denials } = setup([{ path: ro, read: true, write: false }, { path: rw, read: true, write: true }]);
    expect(() => byPath(ro).linkAt!(follow, 'a.txt', byPath(rw), 'a-hardlink')).toThrow('read-only');
    expect(existsSync(join(rw, 'a-hardlink'))).toBe(false);
    expect(denials[0]).toMatchObject({ capability: 'storage', target: join(ro, 'a.txt') });
  });

  it('refuses reads through a write-only grant but allows writing', () => {
    const wo = join(root, 'wo');
    const { byPath, denials } = setup([{ path: wo, read: false, write: true }]);
    expect(() => byPath(wo).openAt!(follow, 'w.txt', {}, { read: true })).toThrow('access');
    expect(() => byPath(wo).readDirectory!()).toThrow('access');
    const fd = byPath(wo).openAt!(follow, 'new.txt', { create: true }, { write: true }) as D;
    expect(fd.write!(new TextEncoder().encode('hi'), 0n)).toBe(2n);
    expect(() => fd.read!(10n, 0n)).toThrow('access');
    expect(denials.map((d) => d.capability)).toEqual(['storage', 'storage', 'storage']);
  });

  it('reports preopen flags from the grant and can stat a preopen', () => {
    const ro = join(root, 'ro');
    const { byPath } = setup([{ path: ro, read: true, write: false }]);
    expect(byPath(ro).getFlags!()).toEqual({ read: true, mutateDirectory: false });
    expect((byPath(ro).stat!() as { type: string }).type).toBe('directory');
  });

  it('rejects descriptors that did not come from the guard', () => {
    const ro = join(root, 'ro');
    const { byPath } = setup([{ path: ro, read: true, write: true }]);
    expect(() => byPath(ro).renameAt!('a.txt', {}, 'b.txt')).toThrow('bad-descriptor');
    expect(existsSync(join(ro, 'a.txt'))).toBe(true);
  });

  it('makes a descriptor opened for reading refuse writes even in a write grant', () => {
    const ro = join(root, 'ro');
    const { byPath } = setup([{ path: ro, read: true, write: true }]);
    const fd = byPath(ro).openAt!(follow, 'a.txt', {}, { read: true }) as D;
    expect(() => fd.write!(new TextEncoder().encode('x'), 0n)).toThrow('bad-descriptor');
    expect(() => fd.writeViaStream!(0n)).toThrow('bad-descriptor');
  });

  it('keeps children of an opened directory inside the grant', () => {
    const ro = join(root, 'ro');
    const { byPath } = setup([{ path: ro, read: true, write: false }]);
    const sub = byPath(ro).openAt!(follow, 'sub', { directory: true }, { read: true }) as D;
    expect(() => sub.openAt!(follow, '../a.txt', {}, { read: true })).toThrow('not-permitted');
    expect(() => sub.openAt!(follow, '../out-link/x', {}, { read: true })).toThrow('not-permitted');
  });
});
