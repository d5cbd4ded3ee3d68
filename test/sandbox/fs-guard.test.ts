import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { io } from '@bytecodealliance/preview2-shim';
import { guardFilesystem } from '../../src/sandbox/fs-guard.js';
import { MAX_OPEN_FDS } from '../../src/sandbox/fs-context.js';
import type { Denial, FsPreopen } from '../../src/sandbox/spec.js';

type D = Record<string | symbol, (...a: unknown[]) => any>;
const follow = { symlinkFollow: true };
const nofollow = { symlinkFollow: false };
const DIR = { directory: true };
const R = { read: true };
const RW = { read: true, write: true };
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const streams = (io as unknown as { streams: { InputStream: Function; OutputStream: Function } }).streams;

let root: string;

function setup(grants: FsPreopen[]) {
  const denials: Denial[] = [];
  const fs = guardFilesystem(grants, (d) => denials.push(d));
  const dirs = (fs['wasi:filesystem/preopens'] as { getDirectories(): [D, string][] }).getDirectories();
  const byPath = (p: string) => dirs.find(([, g]) => g === p)![0];
  return { fs, denials, dirs, byPath };
}

function readAll(fd: D): string {
  let out = '';
  for (let off = 0n; ; ) {
    const [bytes, eof] = fd.read!(1024n, off) as [Uint8Array, boolean];
    out += dec(bytes);
    off += BigInt(bytes.length);
    if (eof || bytes.length === 0) return out;
  }
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-fsguard-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('guardFilesystem: grants', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(root, 'case-'));
    for (const d of ['ro', 'rw', 'wo', 'out', 'ro/sub']) mkdirSync(join(base, d));
    writeFileSync(join(base, 'ro', 'a.txt'), 'alpha');
    writeFileSync(join(base, 'wo', 'w.txt'), 'w');
    writeFileSync(join(base, 'out', 'secret'), 'SECRET');
    symlinkSync('sub', join(base, 'ro', 'sub-link'));
    symlinkSync('../out', join(base, 'ro', 'out-link'));
    symlinkSync('/etc', join(base, 'ro', 'etc-link'));
    symlinkSync('loop2', join(base, 'ro', 'loop1'));
    symlinkSync('loop1', join(base, 'ro', 'loop2'));
  });

  it('refuses hard-linking a read-only file into a writable grant', () => {
    const ro = join(base, 'ro');
    const rw = join(base, 'rw');
    const { byPath, denials } = setup([
      { path: ro, read: true, write: false },
      { path: rw, read: true, write: true },
    ]);
    expect(() => byPath(ro).linkAt!(follow, 'a.txt', byPath(rw), 'a-hardlink')).toThrow('read-only');
    expect(existsSync(join(rw, 'a-hardlink'))).toBe(false);
    expect(denials[0]).toMatchObject({ capability: 'storage', target: join(ro, 'a.txt') });
    expect(denials[0]!.reason).toContain(`grant_storage_permission {uri: 'fs://${ro}', access: ['read', 'write']}`);
  });

  it('refuses reads through a write-only grant but allows writing', () => {
    const wo = join(base, 'wo');
    const { byPath, denials } = setup([{ path: wo, read: false, write: true }]);
    expect(() => byPath(wo).openAt!(follow, 'w.txt', {}, R)).toThrow('access');
    expect(() => byPath(wo).readDirectory!()).toThrow('access');
    const fd = byPath(wo).openAt!(follow, 'new.txt', { create: true }, { write: true }) as D;
    expect(fd.write!(enc('hi'), 0n)).toBe(2n);
    expect(() => fd.read!(10n, 0n)).toThrow('access');
    expect(readFileSync(join(wo, 'new.txt'), 'utf8')).toBe('hi');
    expect(denials.map((d) => d.capability)).toEqual(['storage', 'storage', 'storage']);
  });

  it('reports preopen flags from the grant and can stat a preopen', () => {
    const ro = join(base, 'ro');
    const { byPath } = setup([{ path: ro, read: true, write: false }]);
    expect(byPath(ro).getFlags!()).toEqual({ read: true, mutateDirectory: false });
    expect((byPath(ro).stat!() as { type: string }).type).toBe('directory');
    expect(byPath(ro).getType!()).toBe('directory');
  });

  it('rejects descriptors that did not come from the guard', () => {
    const ro = join(base, 'ro');
    const { byPath } = setup([{ path: ro, read: true, write: true }]);
    expect(() => byPath(ro).renameAt!('a.txt', {}, 'b.txt')).toThrow('bad-descriptor');
    expect(existsSync(join(ro, 'a.txt'))).toBe(true);
  });

  it('makes a descriptor opened for reading refuse writes even in a write grant', () => {
    const ro = join(base, 'ro');
    const { byPath } = setup([{ path: ro, read: true, write: true }]);
    const fd = byPath(ro).openAt!(follow, 'a.txt', {}, R) as D;
    expect(() => fd.write!(enc('x'), 0n)).toThrow('bad-descriptor');
    expect(() => fd.writeViaStream!(0n)).toThrow('bad-descriptor');
    expect(() => fd.setSize!(0n)).toThrow('bad-descriptor');
    expect(readFileSync(join(ro, 'a.txt'), 'utf8')).toBe('alpha');
  });

  it('follows symlinks that stay beneath the descriptor and refuses the rest, naming the grant', () => {
    const ro = join(base, 'ro');
    const { byPath, denials } = setup([{ path: ro, read: true, write: false }]);
    writeFileSync(join(ro, 'sub', 'x'), 'in sub');
    expect(readAll(byPath(ro).openAt!(follow, 'sub-link/x', {}, R))).toBe('in sub');
    expect(() => byPath(ro).openAt!(nofollow, 'sub-link', DIR, R)).toThrow();
    expect(() => byPath(ro).openAt!(follow, 'out-link/secret', {}, R)).toThrow('not-permitted');
    expect(() => byPath(ro).openAt!(follow, 'etc-link/passwd', {}, R)).toThrow('not-permitted');
    expect(() => byPath(ro).openAt!(follow, '../out/secret', {}, R)).toThrow('not-permitted');
    expect(() => byPath(ro).openAt!(follow, '/etc/passwd', {}, R)).toThrow('not-permitted');
    expect(() => byPath(ro).openAt!(follow, 'loop1', {}, R)).toThrow('loop');
    expect(denials.map((d) => d.target)).toEqual([join(base, 'out', 'secret'), '/etc/passwd', join(base, 'out', 'secret'), '/etc/passwd']);
    expect(denials[0]!.reason).toContain(`grant_storage_permission {uri: 'fs://${join(base, 'out')}', access: ['read']}`);
    expect(denials[1]!.reason).toMatch(/symlink to the absolute path \/etc/);
  });

  it('keeps children of an opened directory beneath it', () => {
    const ro = join(base, 'ro');
    const { byPath } = setup([{ path: ro, read: true, write: false }]);
    const sub = byPath(ro).openAt!(follow, 'sub', DIR, R) as D;
    expect(() => sub.openAt!(follow, '../a.txt', {}, R)).toThrow('not-permitted');
    expect(() => sub.openAt!(follow, '../out-link/x', {}, R)).toThrow('not-permitted');
    expect(readAll(byPath(ro).openAt!(follow, 'sub/../a.txt', {}, R))).toBe('alpha');
  });

  it('lets a guest create only symlinks that point below their own directory', () => {
    const rw = join(base, 'rw');
    const { byPath, denials } = setup([{ path: rw, read: true, write: true }]);
    byPath(rw).createDirectoryAt!('d');
    byPath(rw).symlinkAt!('d', 'ok-link');
    byPath(rw).symlinkAt!('d/./x', 'ok-link2');
    for (const target of ['../out', '/etc', 'd/../..', '..', `${rw}/d`]) {
      expect(() => byPath(rw).symlinkAt!(target, 'bad')).toThrow('not-permitted');
    }
    expect(lstatSync(join(rw, 'ok-link')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(rw, 'bad'))).toBe(false);
    expect(denials).toHaveLength(5);
    expect(denials[0]!.reason).toMatch(/\.\. segment/);
  });

  it('needs write at both ends of a hard link and resolves both beneath their descriptors', () => {
    const rw = join(base, 'rw');
    const { byPath } = setup([{ path: rw, read: true, write: true }]);
    writeFileSync(join(rw, 'f'), 'data');
    byPath(rw).linkAt!(nofollow, 'f', byPath(rw), 'f2');
    expect(readFileSync(join(rw, 'f2'), 'utf8')).toBe('data');
    expect(() => byPath(rw).linkAt!(nofollow, '../out/secret', byPath(rw), 'stolen')).toThrow('not-permitted');
    expect(() => byPath(rw).linkAt!(nofollow, 'f', byPath(rw), '../out/planted')).toThrow('not-permitted');
    expect(existsSync(join(rw, 'stolen'))).toBe(false);
    expect(existsSync(join(base, 'out', 'planted'))).toBe(false);
  });

  it("returns the shim's own streams, reading and writing the opened object", () => {
    const rw = join(base, 'rw');
    const { byPath } = setup([{ path: rw, read: true, write: true }]);
    const w = byPath(rw).openAt!(follow, 's.txt', { create: true, truncate: true }, { write: true }) as D;
    const out = w.writeViaStream!(0n) as D;
    expect(out).toBeInstanceOf(streams.OutputStream);
    out.blockingWriteAndFlush!(enc('hello'));
    out[Symbol.dispose]!();
    const app = w.appendViaStream!() as D;
    app.blockingWriteAndFlush!(enc(' world'));
    app[Symbol.dispose]!();
    w[Symbol.dispose]!();
    expect(readFileSync(join(rw, 's.txt'), 'utf8')).toBe('hello world');
    const r = byPath(rw).openAt!(follow, 's.txt', {}, R) as D;
    const input = r.readViaStream!(6n) as D;
    expect(input).toBeInstanceOf(streams.InputStream);
    expect(dec(input.blockingRead!(100n))).toBe('world');
    input[Symbol.dispose]!();
    r[Symbol.dispose]!();
  });

  it('closes every host fd it opens, on success and on error', () => {
    const rw = join(base, 'rw');
    const { byPath } = setup([{ path: rw, read: true, write: true }]);
    byPath(rw).statAt!(nofollow, '.'); // opens the grant's root fd, held for the instance's life
    mkdirSync(join(rw, 'a', 'b', 'c'), { recursive: true });
    writeFileSync(join(rw, 'a', 'b', 'c', 'f'), 'x');
    symlinkSync('../../..', join(rw, 'a', 'b', 'up'));
    const before = openFds();
    for (let i = 0; i < 50; i++) {
      const f = byPath(rw).openAt!(follow, 'a/b/c/f', {}, R) as D;
      readAll(f);
      f[Symbol.dispose]!();
      const d = byPath(rw).openAt!(follow, 'a/b', DIR, R) as D;
      const s = d.readDirectory!() as D;
      while (s.readDirectoryEntry!());
      s[Symbol.dispose]!();
      expect(() => d.openAt!(follow, 'up/x', {}, R)).toThrow('not-permitted');
      expect(() => byPath(rw).openAt!(follow, 'a/b/c/missing/x', {}, R)).toThrow('no-entry');
      expect(() => byPath(rw).openAt!(follow, 'a/b/c/f/x', {}, R)).toThrow('not-directory');
      d[Symbol.dispose]!();
    }
    expect(openFds()).toBe(before);
  });

  it('bounds the fds and work of one resolution', () => {
    const rw = join(base, 'rw');
    const { byPath } = setup([{ path: rw, read: true, write: true }]);
    const deep = Array.from({ length: 200 }, () => 'd').join('/');
    mkdirSync(join(rw, deep), { recursive: true });
    byPath(rw).statAt!(nofollow, '.');
    const before = openFds();
    expect(byPath(rw).statAt!(nofollow, deep.slice(0, 199)).type).toBe('directory'); // 100 levels
    expect(() => byPath(rw).statAt!(nofollow, deep)).toThrow('name-too-long');
    expect(() => byPath(rw).statAt!(nofollow, 'x/'.repeat(3000))).toThrow('name-too-long');
    symlinkSync('.', join(rw, 'self'));
    expect(() => byPath(rw).statAt!(follow, Array.from({ length: 50 }, () => 'self').join('/'))).toThrow('loop');
    expect(openFds()).toBe(before);
  });

  it('caps the host fds one instance can hold', () => {
    const rw = join(base, 'rw');
    const { byPath } = setup([{ path: rw, read: true, write: true }]);
    writeFileSync(join(rw, 'f'), 'x');
    const held: D[] = [];
    for (let i = 0; i < MAX_OPEN_FDS; i++) held.push(byPath(rw).openAt!(follow, 'f', {}, R) as D);
    expect(() => byPath(rw).openAt!(follow, 'f', {}, R)).toThrow('insufficient-memory');
    for (const h of held) h[Symbol.dispose]!();
    expect(readAll(byPath(rw).openAt!(follow, 'f', {}, R))).toBe('x');
  });
});

/**
 * The attack: a host tree T with a sentinel T/etc (standing in for the host's /etc) and one read-write
 * grant G = T/srv/g. A descriptor on G/a/etc is opened, `a` is renamed away, and G/a becomes a symlink to `../..`
 * (= T); through the shim's re-resolved path strings the old descriptor then reached T/etc.
 */
describe('guardFilesystem: confinement survives renames', () => {
  let T: string;
  let G: string;
  let sentinel: string;

  beforeEach(() => {
    T = mkdtempSync(join(root, 'host-'));
    G = join(T, 'srv', 'g');
    sentinel = join(T, 'etc');
    mkdirSync(join(sentinel, 'secret-dir'), { recursive: true });
    mkdirSync(G, { recursive: true });
    writeFileSync(join(sentinel, 'passwd'), 'SENTINEL-PASSWD');
  });

  function sentinelUntouched(): void {
    expect(readdirSync(sentinel).sort()).toEqual(['passwd', 'secret-dir']);
    expect(readFileSync(join(sentinel, 'passwd'), 'utf8')).toBe('SENTINEL-PASSWD');
    expect(readdirSync(join(sentinel, 'secret-dir'))).toEqual([]);
    expect(readdirSync(T).sort()).toEqual(['etc', 'srv']);
  }

  it('refuses the guest-made `../..` link outright', () => {
    const { byPath, denials } = setup([{ path: G, read: true, write: true }]);
    const g = byPath(G);
    g.createDirectoryAt!('p');
    g.createDirectoryAt!('p/q');
    expect(() => g.symlinkAt!('../..', 'p/q/a')).toThrow('not-permitted');
    expect(denials[0]!.reason).toMatch(/symlink .* -> \.\.\/\.\. refused/);
    sentinelUntouched();
  });

  it('old and new descriptors stay inside G when such a link exists anyway (planted by another program)', () => {
    const { byPath, denials } = setup([{ path: G, read: true, write: true }]);
    const g = byPath(G);
    g.createDirectoryAt!('a');
    g.createDirectoryAt!('a/etc');
    const old = g.openAt!(follow, 'a/etc', DIR, R) as D;
    g.renameAt!('a', g, 'b');
    g.createDirectoryAt!('p');
    g.createDirectoryAt!('p/q');
    symlinkSync('../..', join(G, 'p', 'q', 'a')); // what the guest may no longer create itself
    // Nor move into place: a link it renames or hard-links is held to the rule for links it makes.
    expect(() => g.renameAt!('p/q/a', g, 'a')).toThrow('not-permitted');
    expect(() => g.linkAt!(nofollow, 'p/q/a', g, 'a')).toThrow('not-permitted');
    expect(denials.at(-1)!.reason).toMatch(/hard-link of symlink .* -> \.\.\/\.\. .* refused/);
    symlinkSync('../..', join(G, 'a')); // so another program puts it there

    // The old descriptor is the directory object it was opened on, now G/b/etc.
    expect(() => old.openAt!(follow, 'passwd', {}, R)).toThrow('no-entry');
    const created = old.openAt!(follow, 'pwned', { create: true }, { write: true }) as D;
    created.write!(enc('x'), 0n);
    expect(readFileSync(join(G, 'b', 'etc', 'pwned'), 'utf8')).toBe('x');
    old.createDirectoryAt!('made');
    expect(existsSync(join(G, 'b', 'etc', 'made'))).toBe(true);
    const names: string[] = [];
    const s = old.readDirectory!() as D;
    for (let e = s.readDirectoryEntry!(); e; e = s.readDirectoryEntry!()) names.push(e.name);
    expect(names.sort()).toEqual(['made', 'pwned']);

    // New descriptors through the planted link climb above G and are refused.
    const n0 = denials.length;
    expect(() => g.openAt!(follow, 'a/etc/passwd', {}, R)).toThrow('not-permitted');
    expect(() => g.openAt!(follow, 'a/etc', DIR, R)).toThrow('not-permitted');
    expect(() => g.openAt!(follow, 'a/etc/pwned2', { create: true }, { write: true })).toThrow('not-permitted');
    expect(() => g.createDirectoryAt!('a/etc/made2')).toThrow('not-permitted');
    expect(() => g.renameAt!('b/etc/pwned', g, 'a/etc/pwned3')).toThrow('not-permitted');
    expect(() => g.statAt!(follow, 'a/etc/passwd')).toThrow('not-permitted');
    expect(denials.length - n0).toBe(6);
    expect(denials.slice(n0).every((d) => d.target.startsWith(T) && !d.target.startsWith(G))).toBe(true);
    sentinelUntouched();
  });

  it('refuses descriptors whose directory was moved out of the grant by someone else', () => {
    const { byPath, denials } = setup([{ path: G, read: true, write: true }]);
    const g = byPath(G);
    g.createDirectoryAt!('d');
    writeFileSync(join(G, 'd', 'f'), 'inside');
    const d = g.openAt!(follow, 'd', DIR, R) as D;
    const f = g.openAt!(follow, 'd/f', {}, RW) as D;
    expect(readAll(f)).toBe('inside');
    renameSync(join(G, 'd'), join(sentinel, 'secret-dir', 'moved')); // another process moves it into the sentinel
    expect(() => d.openAt!(follow, 'f', {}, R)).toThrow('not-permitted');
    expect(() => d.openAt!(follow, 'new', { create: true }, { write: true })).toThrow('not-permitted');
    expect(() => d.readDirectory!()).toThrow('not-permitted');
    expect(() => f.read!(10n, 0n)).toThrow('not-permitted');
    expect(() => f.write!(enc('changed'), 0n)).toThrow('not-permitted');
    expect(() => f.readViaStream!(0n)).toThrow('not-permitted');
    expect(denials.at(-1)!.reason).toMatch(/no longer inside the granted/);
    expect(readdirSync(join(sentinel, 'secret-dir', 'moved'))).toEqual(['f']);
    expect(readFileSync(join(sentinel, 'secret-dir', 'moved', 'f'), 'utf8')).toBe('inside');
    // Moved back, it is usable again.
    renameSync(join(sentinel, 'secret-dir', 'moved'), join(G, 'd'));
    expect(readAll(f)).toBe('inside');
  });

  it('refuses a file whose opened name was removed while another name of it left the grant (found by the fuzz test)', () => {
    const { byPath } = setup([{ path: G, read: true, write: true }]);
    const g = byPath(G);
    g.createDirectoryAt!('d');
    const f = g.openAt!(follow, 'x', { create: true }, RW) as D;
    f.write!(enc('inside'), 0n);
    g.linkAt!(nofollow, 'x', g, 'd/y');
    g.unlinkFileAt!('x');
    renameSync(join(G, 'd'), join(sentinel, 'secret-dir', 'd')); // another program moves the other name out
    expect(() => f.write!(enc('changed'), 0n)).toThrow('not-permitted');
    expect(() => f.read!(10n, 0n)).toThrow('not-permitted');
    expect(readFileSync(join(sentinel, 'secret-dir', 'd', 'y'), 'utf8')).toBe('inside');
    // An unlinked file with no other name is private to its descriptor: still usable.
    const tmp = g.openAt!(follow, 'tmp', { create: true }, RW) as D;
    g.unlinkFileAt!('tmp');
    expect(tmp.write!(enc('scratch'), 0n)).toBe(7n);
    expect(readAll(tmp)).toBe('scratch');
    // A real name ending in " (deleted)" is just a name.
    const odd = g.openAt!(follow, 'odd (deleted)', { create: true }, RW) as D;
    expect(odd.write!(enc('ok'), 0n)).toBe(2n);
  });

  it('treats a renamed-away grant root as outside the grant', () => {
    const { byPath } = setup([{ path: G, read: true, write: true }]);
    const g = byPath(G);
    g.createDirectoryAt!('x');
    renameSync(G, join(T, 'srv', 'elsewhere'));
    try {
      expect(() => g.createDirectoryAt!('y')).toThrow('not-permitted');
      expect(existsSync(join(T, 'srv', 'elsewhere', 'y'))).toBe(false);
    } finally {
      renameSync(join(T, 'srv', 'elsewhere'), G);
    }
  });
});

describe('guardFilesystem: deny-by-default root', () => {
  let G: string;
  let ROG: string;
  afterEach(() => undefined);
  beforeEach(() => {
    const b = mkdtempSync(join(root, 'rootcase-'));
    G = join(b, 'data');
    ROG = join(b, 'data', 'ro');
    mkdirSync(ROG, { recursive: true });
    writeFileSync(join(G, 'a.txt'), 'alpha');
    writeFileSync(join(ROG, 'r.txt'), 'ro');
  });

  it('preopens `/` after the grants, lists nothing through it, and opens `/` itself again', () => {
    const { dirs, byPath } = setup([{ path: G, read: true, write: true }]);
    expect(dirs.map(([, p]) => p)).toEqual([G, '/']);
    const s = byPath('/').readDirectory!() as D;
    expect(s.readDirectoryEntry!()).toBeUndefined();
    const again = byPath('/').openAt!(nofollow, '.', DIR, R) as D;
    expect(again.getType!()).toBe('directory');
    expect(again.isSameObject!(byPath('/'))).toBe(true);
    expect(setup([{ path: '/', read: true, write: false }]).dirs.map(([, p]) => p)).toEqual(['/']);
  });

  it('refuses every path outside the grants as a denial naming the grant that would allow it', () => {
    const { byPath, denials } = setup([{ path: G, read: true, write: true }]);
    const r = byPath('/');
    expect(() => r.openAt!(follow, 'etc', DIR, R)).toThrow('not-permitted');
    expect(() => r.openAt!(follow, 'etc/passwd', {}, R)).toThrow('not-permitted');
    expect(() => r.openAt!(follow, 'tmp/new', { create: true }, { write: true })).toThrow('not-permitted');
    expect(() => r.statAt!(follow, `${G.slice(1)}/../escape`)).toThrow('not-permitted');
    expect(() => r.createDirectoryAt!('x')).toThrow('not-permitted');
    expect(denials.map((d) => d.target)).toEqual(['/etc', '/etc/passwd', '/tmp/new', `${join(G, '..')}/escape`, '/x']);
    expect(denials[0]!.reason).toContain("grant_storage_permission {uri: 'fs:///etc', access: ['read']}");
    expect(denials[1]!.reason).toContain("grant_storage_permission {uri: 'fs:///etc', access: ['read']}");
    expect(denials[2]!.reason).toContain("grant_storage_permission {uri: 'fs:///tmp', access: ['read', 'write']}");
    expect(denials[0]!.reason).toContain(`granted: ${G}`);
    expect(existsSync('/x')).toBe(false);
  });

  it('routes paths inside a grant to that grant, longest grant first, with its permissions', () => {
    const { byPath } = setup([
      { path: G, read: true, write: true },
      { path: ROG, read: true, write: false },
    ]);
    const r = byPath('/');
    expect(readAll(r.openAt!(follow, `${G.slice(1)}/a.txt`, {}, R))).toBe('alpha');
    expect(readAll(r.openAt!(follow, `${ROG.slice(1)}/r.txt`, {}, R))).toBe('ro');
    expect(() => r.openAt!(follow, `${ROG.slice(1)}/new`, { create: true }, { write: true })).toThrow('read-only');
    r.createDirectoryAt!(`${G.slice(1)}/made`);
    expect(existsSync(join(G, 'made'))).toBe(true);
    r.renameAt!(`${G.slice(1)}/made`, byPath(G), 'renamed');
    expect(existsSync(join(G, 'renamed'))).toBe(true);
    const d = r.openAt!(follow, G.slice(1), DIR, R) as D;
    expect(d.isSameObject!(byPath(G))).toBe(true);
    expect(() => r.openAt!(follow, `${G.slice(1)}/../x`, {}, R)).toThrow('not-permitted');
  });
});
