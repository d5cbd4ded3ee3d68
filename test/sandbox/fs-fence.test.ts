// The fence: the server's own state and per-process /proc stay out of reach through every route a guest with a
// broad grant could take (direct paths, renames of the state directory, links, a grant rooted inside it).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardFilesystem } from '../../src/sandbox/fs-guard.js';
import type { Denial, FsPreopen } from '../../src/sandbox/spec.js';

type D = Record<string | symbol, (...a: unknown[]) => any>;
const follow = { symlinkFollow: true };
const nofollow = { symlinkFollow: false };
const R = { read: true };
const RW = { read: true, write: true };

let T: string;
let home: string;
let cfg: string;

function setup(grants: FsPreopen[], reserved = [home, cfg]) {
  const denials: Denial[] = [];
  const fs = guardFilesystem(grants, (d) => denials.push(d), undefined, reserved);
  const dirs = (fs['wasi:filesystem/preopens'] as { getDirectories(): [D, string][] }).getDirectories();
  const byPath = (p: string) => dirs.find(([, g]) => g === p)![0];
  return { denials, byPath };
}

function code(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    return String(e);
  }
}

function readAll(fd: D): string {
  const [bytes] = fd.read!(1n << 20n, 0n) as [Uint8Array, boolean];
  return new TextDecoder().decode(bytes);
}

beforeEach(() => {
  T = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-fence-')));
  home = join(T, 'state');
  mkdirSync(join(home, 'secrets'), { recursive: true });
  writeFileSync(join(home, 'wassette.db'), 'DB');
  writeFileSync(join(home, 'http-token'), 'TOKEN');
  cfg = join(T, 'etc', 'wassette.yaml');
  mkdirSync(join(T, 'etc'));
  writeFileSync(join(T, 'work.txt'), 'work');
});
afterEach(() => rmSync(T, { recursive: true, force: true }));

describe('fence: the server state under a broad grant', () => {
  it('ordinary files beside the state stay reachable', () => {
    const { byPath, denials } = setup([{ path: T, read: true, write: true }]);
    expect(readAll(byPath(T).openAt!(follow, 'work.txt', {}, R))).toBe('work');
    expect(denials).toEqual([]);
  });

  it('refuses the state directory and everything in it, for every operation, as a denial', () => {
    const { byPath, denials } = setup([{ path: T, read: true, write: true }]);
    const g = byPath(T);
    const tries: Array<[string, () => unknown]> = [
      ['read db', () => readAll(g.openAt!(follow, 'state/wassette.db', {}, R))],
      ['write db', () => g.openAt!(follow, 'state/wassette.db', { truncate: true }, RW)],
      ['open dir', () => g.openAt!(follow, 'state', { directory: true }, {})],
      ['stat dir', () => g.statAt!(nofollow, 'state')],
      ['stat file', () => g.statAt!(nofollow, 'state/http-token')],
      ['rename away', () => g.renameAt!('state', g, 'moved')],
      ['remove', () => g.removeDirectoryAt!('state')],
      ['create inside', () => g.createDirectoryAt!('state/x')],
      ['link out', () => g.linkAt!(nofollow, 'state/wassette.db', g, 'copy.db')],
      ['unlink', () => g.unlinkFileAt!('state/http-token')],
      ['dotted', () => readAll(g.openAt!(follow, './etc/../state/./http-token', {}, R))],
    ];
    for (const [what, f] of tries) expect(code(f), what).toBe('access');
    expect(denials).toHaveLength(tries.length);
    expect(denials.every((d) => d.capability === 'storage' && /wassette's own state/.test(d.reason))).toBe(true);
    expect(readFileSync(join(home, 'wassette.db'), 'utf8')).toBe('DB');
    expect(readFileSync(join(home, 'http-token'), 'utf8')).toBe('TOKEN');
    expect(existsSync(join(T, 'moved'))).toBe(false);
    expect(existsSync(join(T, 'copy.db'))).toBe(false);
  });

  it('a link planted beside it, or the state renamed by someone else, leads nowhere', () => {
    symlinkSync('state', join(T, 'alias'));
    const { byPath } = setup([{ path: T, read: true, write: true }]);
    const g = byPath(T);
    expect(code(() => readAll(g.openAt!(follow, 'alias/wassette.db', {}, R)))).toBe('access');
    // The identity was taken when the sandbox was made: a new name does not open a way in.
    rmSync(join(T, 'alias'));
    renameSync(home, join(T, 'renamed'));
    expect(code(() => readAll(g.openAt!(follow, 'renamed/wassette.db', {}, R)))).toBe('access');
  });

  it('a descriptor opened before a directory moved into the state is refused afterwards', () => {
    mkdirSync(join(T, 'box'));
    writeFileSync(join(T, 'box', 'f'), 'f');
    const { byPath } = setup([{ path: T, read: true, write: true }]);
    const box = byPath(T).openAt!(follow, 'box', { directory: true }, {}) as D;
    renameSync(join(T, 'box'), join(home, 'box'));
    expect(code(() => box.openAt!(follow, 'f', {}, R))).toBe('access');
  });

  it('a grant rooted inside the state reaches nothing', () => {
    const { byPath } = setup([{ path: join(home, 'secrets'), read: true, write: true }]);
    expect(code(() => byPath(join(home, 'secrets')).createDirectoryAt!('x'))).toBe('access');
    expect(existsSync(join(home, 'secrets', 'x'))).toBe(false);
  });

  it('the config file cannot be created or rewritten, even before it exists', () => {
    const { byPath } = setup([{ path: join(T, 'etc'), read: true, write: true }]);
    expect(code(() => byPath(join(T, 'etc')).openAt!(nofollow, 'wassette.yaml', { create: true }, RW))).toBe('access');
    expect(existsSync(cfg)).toBe(false);
    writeFileSync(cfg, 'approval: prompt\n');
    const again = setup([{ path: join(T, 'etc'), read: true, write: true }]);
    expect(code(() => again.byPath(join(T, 'etc')).openAt!(nofollow, 'wassette.yaml', { truncate: true }, RW))).toBe('access');
    expect(readFileSync(cfg, 'utf8')).toBe('approval: prompt\n');
  });
});

describe('fence: per-process /proc', () => {
  it('refuses /proc/self, /proc/<pid> and /proc/thread-self; the rest of /proc stays readable', () => {
    const { byPath, denials } = setup([{ path: '/proc', read: true, write: true }]);
    const p = byPath('/proc');
    expect(readAll(p.openAt!(follow, 'version', {}, R))).toMatch(/Linux/);
    for (const path of ['self/environ', 'self/mem', `${process.pid}/environ`, 'thread-self/environ', 'self/fd', '1/cmdline']) {
      expect(
        code(() => p.openAt!(follow, path, {}, R)),
        path,
      ).toBe('access');
    }
    expect(code(() => p.statAt!(nofollow, String(process.pid)))).toBe('access');
    expect(denials.every((d) => /\/proc/.test(d.reason))).toBe(true);
  });

  it('is refused through `/` granted whole as well', () => {
    const { byPath } = setup([{ path: '/', read: true, write: false }]);
    expect(code(() => byPath('/').openAt!(follow, 'proc/self/environ', {}, R))).toBe('access');
    expect(code(() => byPath('/').openAt!(follow, `${home.slice(1)}/wassette.db`, {}, R))).toBe('access');
  });
});
