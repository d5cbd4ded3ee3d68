// Filesystem confinement against renames and links: the review's attack, and a seeded random sequence of
// thousands of guest operations that must never read, write or list a sentinel tree outside the grant.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FdSlots, closeLeftoverFds, createFdSlots } from '../../src/sandbox/fd-slots.js';
import { guardFilesystem } from '../../src/sandbox/fs-guard.js';
import type { Denial, FsPreopen } from '../../src/sandbox/spec.js';
import { mulberry32 } from '../helpers/prng.js';

type D = Record<string | symbol, (...a: unknown[]) => unknown>;
const dispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');
const SECRET = 'SENTINEL-SECRET-6f1c';

let root: string;
let grant: string;
let outside: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-rename-')));
  grant = join(root, 'g');
  outside = join(root, 'outside');
  mkdirSync(join(grant, 'a', 'etc'), { recursive: true });
  mkdirSync(join(outside, 'etc'), { recursive: true });
  writeFileSync(join(outside, 'etc', 'passwd'), SECRET);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function setup(grants: FsPreopen[], slots = new FdSlots()) {
  const denials: Denial[] = [];
  const fs = guardFilesystem(grants, (d: Denial) => denials.push(d), slots);
  const dirs = (fs['wasi:filesystem/preopens'] as { getDirectories(): [D, string][] }).getDirectories();
  return { denials, root: (p: string) => dirs.find(([, g]) => g === p)![0] };
}

function readAll(file: D): string {
  const [bytes] = file.read!(1_000_000n, 0n) as [Uint8Array, boolean];
  return new TextDecoder().decode(bytes);
}

const follow = { symlinkFollow: true };
const nofollow = { symlinkFollow: false };

describe('a descriptor survives renames above it', () => {
  it('the review attack: rename the parent away, plant a link to ../.., open through the old descriptor', () => {
    // The grant's parent plays /: outside/etc/passwd is what ../.. from g/a would reach.
    const { root: pre, denials } = setup([{ path: grant, read: true, write: true }]);
    const g = pre(grant);
    const etc = g.openAt!(follow, 'a/etc', { directory: true }, { read: true }) as D;
    g.renameAt!('a', g, 'moved');
    g.createDirectoryAt!('p');
    g.createDirectoryAt!('p/q');
    // `../..` is lexically inside the grant where it is made; a later rename would make it point out.
    expect(() => g.symlinkAt!('../..', 'p/q/a')).toThrow('not-permitted');
    expect(() => g.symlinkAt!('../../outside', 'p/q/a')).toThrow('not-permitted');
    expect(() => g.symlinkAt!(outside, 'p/q/a')).toThrow('not-permitted');
    // Whatever sits at g/a now, the old descriptor still means the directory it was opened on (now g/moved/etc).
    g.createDirectoryAt!('a');
    expect(() => etc.openAt!(follow, 'passwd', {}, { read: true })).toThrow('no-entry');
    const created = etc.openAt!(follow, 'new-file', { create: true }, { write: true }) as D;
    created[dispose]!();
    expect(existsSync(join(grant, 'moved', 'etc', 'new-file'))).toBe(true);
    expect(readdirSync(join(outside, 'etc'))).toEqual(['passwd']);
    expect(denials.length).toBeGreaterThanOrEqual(3);
  });

  it('a directory moved out of the grant by someone else is refused, not followed', () => {
    const { root: pre, denials } = setup([{ path: grant, read: true, write: true }]);
    const etc = pre(grant).openAt!(follow, 'a/etc', { directory: true }, { read: true }) as D;
    rmSync(join(outside, 'etc'), { recursive: true });
    // A host process (not the guest) moves the directory outside the grant.
    writeFileSync(join(grant, 'a', 'etc', 'passwd'), SECRET);
    renameSync(join(grant, 'a', 'etc'), join(outside, 'etc')); // the host, not the guest
    expect(() => etc.openAt!(follow, 'passwd', {}, { read: true })).toThrow('not-permitted');
    expect(() => etc.readDirectory!()).toThrow('not-permitted');
    expect(() => etc.createDirectoryAt!('x')).toThrow('not-permitted');
    expect(existsSync(join(outside, 'etc', 'x'))).toBe(false);
    expect(denials.some((d) => d.target.startsWith(outside) && d.capability === 'storage')).toBe(true);
  });

  it('host fds are bounded per instance and every held one is recorded', () => {
    const buffer = createFdSlots(4);
    const { root: pre } = setup([{ path: grant, read: true, write: false }], new FdSlots(buffer));
    const opened: D[] = [];
    let refused: unknown;
    for (let i = 0; i < 10 && refused === undefined; i++) {
      try {
        opened.push(pre(grant).openAt!(follow, 'a', { directory: true }, { read: true }) as D);
      } catch (e) {
        refused = e;
      }
    }
    expect(typeof refused).toBe('string');
    expect(opened.length).toBeLessThan(4);
    opened.pop()![dispose]!();
    opened.push(pre(grant).openAt!(follow, 'a', { directory: true }, { read: true }) as D);
    // Every fd still held is recorded (root + opened ones).
    expect(closeLeftoverFds(buffer)).toBe(opened.length + 1);
  });
});

function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      out.push(`${p}:${st?.mtimeMs}:${st?.atimeMs}:${st?.size}`);
      if (st?.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.join('\n');
}

describe('randomized guest operations never reach the sentinel tree', () => {
  const seeds = process.env.WASSETTE_FS_FUZZ_SEED ? [Number(process.env.WASSETTE_FS_FUZZ_SEED)] : [1, 2, 3, 4, 5];
  const opsPerSeed = Number(process.env.WASSETTE_FS_FUZZ_OPS ?? 3000);

  it.each(seeds)('seed %i', (seed) => {
    const ro = join(root, 'ro');
    mkdirSync(join(ro, 'docs'), { recursive: true });
    writeFileSync(join(ro, 'docs', 'r.txt'), 'read-only content');
    // The first walk may itself bump directory atimes (relatime); after it, only a listing by the guest would.
    snapshot(outside);
    snapshot(ro);
    const sentinelBefore = snapshot(outside);
    const roBefore = snapshot(ro);
    const { root: pre } = setup([
      { path: grant, read: true, write: true },
      { path: ro, read: true, write: false },
    ]);
    const rnd = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const names = ['a', 'b', 'c', 'etc', 'passwd', 'x', 'l'];
    const targets = ['..', '../..', '../../outside', '../../outside/etc', outside, '/etc', 'a', 'b/c', '.', 'a/../..', './x', '../ro'];
    const path = (): string => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick([...names, '..', '.'])).join('/');
    const descriptors: D[] = [pre(grant), pre(ro)];
    let read = '';
    let ops = 0;
    let succeeded = 0;
    for (let i = 0; i < opsPerSeed; i++) {
      const d = pick(descriptors);
      const other = pick(descriptors);
      const op = Math.floor(rnd() * 12);
      try {
        ops++;
        switch (op) {
          case 0:
            d.createDirectoryAt!(path());
            break;
          case 1:
            d.renameAt!(path(), other, path());
            break;
          case 2:
            d.symlinkAt!(pick(targets), path());
            break;
          case 3:
            d.linkAt!(pick([follow, nofollow]), path(), other, path());
            break;
          case 4: {
            const fd = d.openAt!(pick([follow, nofollow]), path(), { directory: true }, { read: true }) as D;
            if (descriptors.length < 40) descriptors.push(fd);
            else fd[dispose]!();
            break;
          }
          case 5: {
            const f = d.openAt!(pick([follow, nofollow]), path(), {}, { read: true }) as D;
            try {
              read += readAll(f);
            } finally {
              f[dispose]!();
            }
            break;
          }
          case 6: {
            const f = d.openAt!(pick([follow, nofollow]), path(), { create: rnd() < 0.5, truncate: rnd() < 0.2 }, { write: true }) as D;
            try {
              f.write!(new TextEncoder().encode(`w${i}`), 0n);
            } finally {
              f[dispose]!();
            }
            break;
          }
          case 7: {
            const s = d.readDirectory!() as { readDirectoryEntry(): { name: string } | undefined };
            for (let e = s.readDirectoryEntry(); e; e = s.readDirectoryEntry()) read += `\n${e.name}`;
            break;
          }
          case 8:
            d.unlinkFileAt!(path());
            break;
          case 9:
            d.removeDirectoryAt!(path());
            break;
          case 10:
            d.statAt!(pick([follow, nofollow]), path());
            break;
          default:
            read += String(d.readlinkAt!(path()));
            break;
        }
        succeeded++;
      } catch (e) {
        // Refusals and ordinary WASI errors are strings or tagged values; anything else is a bug in the guard.
        if (!(typeof e === 'string')) throw e;
      }
    }
    expect(ops).toBe(opsPerSeed);
    // The sequence really did things inside the grant, and was refused or failed the rest of the time.
    expect(succeeded).toBeGreaterThan(opsPerSeed / 20);
    expect(succeeded).toBeLessThan(opsPerSeed);
    expect(read).not.toContain(SECRET);
    expect(snapshot(outside)).toBe(sentinelBefore);
    expect(snapshot(ro)).toBe(roBefore);
    expect(readFileSync(join(outside, 'etc', 'passwd'), 'utf8')).toBe(SECRET);
    // Nothing was created beside the grants.
    expect(readdirSync(root).sort()).toEqual(['g', 'outside', 'ro']);
    for (const d of descriptors.slice(2)) d[dispose]!();
  });
});
