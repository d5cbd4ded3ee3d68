// Randomized confinement test: thousands of guest filesystem operations (mkdir, rename across descriptors,
// symlinks with hostile targets, hard links, opens with and without follow, reads, writes, listings, unlinks) through
// old and new descriptors, while "another program" moves directories out of the grant and plants links pointing
// out. A sentinel tree outside the grants must never be read, written or listed, the read-only grant never changed,
// nothing created outside the read-write grant, and every host fd closed at the end.
// Seeds are fixed for CI; WASSETTE_FUZZ_SEED=<n> (and WASSETTE_FUZZ_OPS=<n>) reruns one.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardFilesystem } from '../../src/sandbox/fs-guard.js';
import type { Denial } from '../../src/sandbox/spec.js';
import { mulberry32 } from '../helpers/prng.js';

type D = Record<string | symbol, (...a: unknown[]) => any>;

const SEEDS = process.env.WASSETTE_FUZZ_SEED ? [Number(process.env.WASSETTE_FUZZ_SEED)] : [1, 2, 3];
const OPS = Number(process.env.WASSETTE_FUZZ_OPS ?? Math.ceil(10_500 / SEEDS.length));

interface Entry {
  type: string;
  size?: number;
  mtimeMs?: number;
  content?: string;
  link?: string;
}

/**
 * Every object under `dir`: type, size, mtime, file content and link target. A file with other names (hard links)
 * may legitimately change through a name inside the grant: with `sharedOk` only its existence is recorded.
 */
function snapshot(dir: string, sharedOk = false): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (rel: string): void => {
    const p = join(dir, rel);
    const st = lstatSync(p);
    const e: Entry = { type: st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : 'file' };
    if (!(sharedOk && st.isFile() && st.nlink > 1)) {
      e.size = st.size;
      e.mtimeMs = st.mtimeMs;
      if (st.isFile()) e.content = readFileSync(p, 'utf8');
    }
    if (st.isSymbolicLink()) e.link = readlinkSync(p);
    out.set(rel, e);
    if (st.isDirectory()) for (const n of readdirSync(p).sort()) walk(rel ? `${rel}/${n}` : n);
  };
  walk('');
  return out;
}

let base: string;
beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-fsfuzz-')));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function fuzz(seed: number, ops: number): { counts: Record<string, [number, number]>; denials: number } {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const T = mkdtempSync(join(base, `seed-${seed}-`));
  const rw = join(T, 'rw');
  const ro = join(T, 'ro');
  const sentinel = join(T, 'sentinel');
  const limbo = join(T, 'limbo');
  const token = `SENTINEL-${seed}-c0ntent`;
  const secretName = `s3cret-name-${seed}`;
  for (const d of [rw, ro, limbo, join(sentinel, secretName), join(ro, 'sub')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(sentinel, 'passwd'), `${token} passwd`);
  writeFileSync(join(sentinel, secretName, 'inner'), `${token} inner`);
  writeFileSync(join(ro, 'r1'), 'read-only one');
  writeFileSync(join(ro, 'sub', 'r2'), 'read-only two');
  // Links another program left in the grants, pointing out of them.
  for (const d of ['a/b/c', 'b/c', 'c', 'd/a']) mkdirSync(join(rw, d), { recursive: true });
  for (const f of ['f1', 'a/f1', 'a/b/f2', 'b/f1', 'd/f2']) writeFileSync(join(rw, f), `initial ${f}`);
  symlinkSync('../sentinel', join(rw, 'evil-up'));
  symlinkSync(sentinel, join(rw, 'evil-abs'));
  symlinkSync('../..', join(rw, 'evil-2up'));
  symlinkSync('../sentinel/passwd', join(ro, 'evil'));
  const sentinelBefore = snapshot(sentinel);
  const roBefore = snapshot(ro);

  const denials: Denial[] = [];
  const fs = guardFilesystem(
    [
      { path: rw, read: true, write: true },
      { path: ro, read: true, write: false },
    ],
    (d) => denials.push(d),
  );
  const pre = (fs['wasi:filesystem/preopens'] as { getDirectories(): [D, string][] }).getDirectories();
  const rwD = pre.find(([, p]) => p === rw)![0];
  const roD = pre.find(([, p]) => p === ro)![0];
  const rootD = pre.find(([, p]) => p === '/')![0];
  const dirs: D[] = [];
  const files: D[] = [];
  const seen: string[] = []; // everything the guest got back: data, names, link targets
  const counts: Record<string, [number, number]> = {};

  // The sentinel's inner name is never offered: the guest could only learn it by listing the sentinel.
  const common = ['a', 'b', 'c', 'd', 'f1', 'f2', 'l1', 'l2', 'sub', 'r1'];
  const hostile = ['..', '.', 'evil-up', 'evil-abs', 'evil-2up', 'evil', 'sentinel', 'passwd'];
  const relPath = (): string => {
    const r = rnd();
    const n = r < 0.5 ? 1 : r < 0.8 ? 2 : r < 0.95 ? 3 : 4;
    return Array.from({ length: n }, () => pick(rnd() < 0.8 ? common : hostile)).join('/') + (rnd() < 0.03 ? '/' : '');
  };
  // What exists in the read-write grant now (refreshed now and then), so that many operations hit real objects.
  let existing: [string, string][] = [];
  let refreshed = -1;
  const known = (i: number, type?: string): string => {
    if (i - refreshed > 20) {
      existing = [...snapshot(rw, true)].filter(([k]) => k !== '').map(([k, e]) => [k, e.type]);
      refreshed = i;
    }
    const of = existing.filter(([, t]) => type === undefined || t === type);
    return of.length > 0 && rnd() < 0.8 ? pick(of)[0] : relPath();
  };
  let step = 0;
  const path = (d: D): string => {
    if (d === rootD) {
      if (rnd() < 0.3) return `${rw.slice(1)}/${known(step)}`;
      const top = pick([rw, ro, sentinel, T, limbo, '/etc', '/tmp']).slice(1);
      return rnd() < 0.7 ? `${top}/${relPath()}` : top;
    }
    if (d === rwD && rnd() < 0.5) return known(step);
    const r = rnd();
    if (r < 0.05) return pick([`${sentinel}/passwd`, '/etc/passwd', `${rw}/a`]);
    if (r < 0.1) return `../sentinel/${pick(['passwd', '.'])}`;
    return relPath();
  };
  const linkTarget = (): string => pick(['a', 'f1', 'b/c', '..', '../..', '../sentinel', '/etc', sentinel, `${rw}/a`, 'a/../..', './d', 'l1', 'l2']);
  const anyDir = (): D => (rnd() < 0.5 || dirs.length === 0 ? pick([rwD, rwD, rwD, roD, rootD]) : pick(dirs));
  const data = (): string => `guest-${Math.floor(rnd() * 1e9)}`;
  const readAll = (f: D): string => {
    let out = '';
    for (let off = 0n; off < 1n << 20n; ) {
      const [bytes, eof] = f.read!(4096n, off) as [Uint8Array, boolean];
      out += new TextDecoder().decode(bytes);
      off += BigInt(bytes.length);
      if (eof || bytes.length === 0) break;
    }
    return out;
  };
  const streamAll = (f: D): string => {
    const s = f.readViaStream!(0n) as D;
    let out = '';
    try {
      for (;;) out += new TextDecoder().decode(s.blockingRead!(65536n) as Uint8Array);
    } catch (e) {
      if ((e as { tag?: string }).tag !== 'closed') throw e;
    } finally {
      s[Symbol.dispose]!();
    }
    return out;
  };
  const list = (d: D): string[] => {
    const s = d.readDirectory!() as D;
    const out: string[] = [];
    try {
      for (let e = s.readDirectoryEntry!(); e; e = s.readDirectoryEntry!()) out.push(e.name);
    } finally {
      s[Symbol.dispose]!();
    }
    return out;
  };
  const flagsPick = () => ({ symlinkFollow: rnd() < 0.6 });
  const dropOne = (pool: D[]): void => {
    if (pool.length === 0) return;
    const [d] = pool.splice(Math.floor(rnd() * pool.length), 1);
    d![Symbol.dispose]!();
  };

  // "Another program": moves a directory of the grant out into limbo (with a token file in it) and back later.
  let away: { from: string; at: string; snap: Map<string, Entry> } | undefined;
  const hostActor = (): void => {
    if (away) {
      const now = snapshot(away.at, true);
      // A file that had another name in the grant may change through it (and lose that name): compare its existence only.
      for (const [k, e] of away.snap) if (e.size === undefined && now.get(k)?.type === 'file') now.set(k, { type: 'file' });
      expect(now, `limbo ${away.at} changed while out of the grant`).toEqual(away.snap);
      unlinkSync(join(away.at, 'limbo-token'));
      try {
        if (existsSync(away.from)) throw new Error('taken');
        renameSync(away.at, away.from);
      } catch {
        rmSync(away.at, { recursive: true });
      }
      away = undefined;
      return;
    }
    const candidates = ['a', 'b', 'c', 'd', 'a/b', 'b/c'].filter((p) => {
      try {
        return lstatSync(join(rw, p)).isDirectory();
      } catch {
        return false;
      }
    });
    if (candidates.length === 0) return;
    const from = join(rw, pick(candidates));
    const at = join(limbo, `moved-${Math.floor(rnd() * 1e9)}`);
    renameSync(from, at);
    writeFileSync(join(at, 'limbo-token'), `LIMBO-${seed}`);
    away = { from, at, snap: snapshot(at, true) };
  };

  const opsTable: Array<[string, number, () => void]> = [
    ['mkdir', 8, () => anyDir().createDirectoryAt!(path(anyDir()))],
    [
      'rename',
      8,
      () => {
        const a = anyDir();
        const b = rnd() < 0.6 ? a : anyDir();
        a.renameAt!(path(a), b, path(b));
      },
    ],
    [
      'symlink',
      6,
      () => {
        const d = anyDir();
        d.symlinkAt!(linkTarget(), path(d));
      },
    ],
    [
      'link',
      3,
      () => {
        const a = rnd() < 0.6 ? rwD : anyDir();
        const b = rnd() < 0.6 ? rwD : anyDir();
        a.linkAt!(flagsPick(), a === rwD ? known(step) : path(a), b, rnd() < 0.5 ? `${pick(common)}-${Math.floor(rnd() * 100)}` : path(b));
      },
    ],
    [
      'open-dir',
      8,
      () => {
        const d = anyDir();
        const nd = d.openAt!(flagsPick(), path(d), { directory: true }, { read: true }) as D;
        dirs.push(nd);
        if (dirs.length > 24) dropOne(dirs);
      },
    ],
    [
      'open-file',
      8,
      () => {
        const d = anyDir();
        const create = rnd() < 0.5;
        const f = d.openAt!(
          flagsPick(),
          path(d),
          { create, exclusive: create && rnd() < 0.2, truncate: rnd() < 0.1 },
          { read: rnd() < 0.8, write: rnd() < 0.5 },
        ) as D;
        (f.getType!() === 'directory' ? dirs : files).push(f);
        if (files.length > 24) dropOne(files);
        if (dirs.length > 24) dropOne(dirs);
      },
    ],
    [
      'read-fd',
      8,
      () => {
        if (files.length === 0) throw 'no-file';
        const f = pick(files);
        seen.push(rnd() < 0.15 ? streamAll(f) : readAll(f));
      },
    ],
    [
      'read-at',
      8,
      () => {
        const d = anyDir();
        const f = d.openAt!(flagsPick(), path(d), {}, { read: true }) as D;
        try {
          seen.push(readAll(f));
        } finally {
          f[Symbol.dispose]!();
        }
      },
    ],
    [
      'write-fd',
      5,
      () => {
        if (files.length === 0) throw 'no-file';
        pick(files).write!(new TextEncoder().encode(data()), BigInt(Math.floor(rnd() * 8)));
      },
    ],
    [
      'write-at',
      6,
      () => {
        const d = anyDir();
        const f = d.openAt!(flagsPick(), path(d), { create: true, truncate: true }, { write: true }) as D;
        try {
          if (rnd() < 0.1) {
            const s = f.writeViaStream!(0n) as D;
            s.blockingWriteAndFlush!(new TextEncoder().encode(data()));
            s[Symbol.dispose]!();
          } else {
            f.write!(new TextEncoder().encode(data()), 0n);
          }
        } finally {
          f[Symbol.dispose]!();
        }
      },
    ],
    ['list', 6, () => seen.push(...list(anyDir()))],
    [
      'unlink',
      5,
      () => {
        const d = anyDir();
        d.unlinkFileAt!(path(d));
      },
    ],
    [
      'rmdir',
      3,
      () => {
        const d = anyDir();
        d.removeDirectoryAt!(path(d));
      },
    ],
    [
      'stat',
      5,
      () => {
        const d = anyDir();
        d.statAt!(flagsPick(), path(d));
      },
    ],
    [
      'readlink',
      3,
      () => {
        const d = rnd() < 0.5 ? rwD : anyDir();
        seen.push(d.readlinkAt!(d === rwD ? known(step, 'link') : path(d)) as string);
      },
    ],
    [
      'set-times',
      2,
      () => {
        const d = anyDir();
        d.setTimesAt!(flagsPick(), path(d), { tag: 'now' }, { tag: 'no-change' });
      },
    ],
    ['close', 3, () => dropOne(rnd() < 0.5 ? files : dirs)],
    ['host-moves', 1, hostActor],
  ];
  const total = opsTable.reduce((s, [, w]) => s + w, 0);
  for (let i = 0; i < ops; i++) {
    step = i;
    let r = rnd() * total;
    const [name, , fn] = opsTable.find(([, w]) => (r -= w) < 0) ?? opsTable[0]!;
    const c = (counts[name] ??= [0, 0]);
    try {
      fn();
      c[0]++;
    } catch (e) {
      // Only WASI error codes may come out: a host error would trap the guest.
      if (name === 'host-moves') throw e;
      expect(typeof e === 'string' || (typeof e === 'object' && e !== null && 'tag' in e), `${name}: ${String(e)}`).toBe(true);
      c[1]++;
    }
  }
  if (away) hostActor();

  const leaked = seen.filter(
    (s) => s.includes(token) || s.includes(secretName) || s.includes('LIMBO-') || s.includes('limbo-token') || s.includes('root:x:0:0'),
  );
  expect(leaked, `seed ${seed}`).toEqual([]);
  expect(snapshot(sentinel), `seed ${seed}: sentinel`).toEqual(sentinelBefore);
  expect(snapshot(ro), `seed ${seed}: read-only grant`).toEqual(roBefore);
  expect(readdirSync(T).sort(), `seed ${seed}: nothing created outside the grants`).toEqual(['limbo', 'ro', 'rw', 'sentinel']);
  expect(readdirSync(limbo), `seed ${seed}: limbo`).toEqual([]);
  for (const d of [...dirs, ...files]) d[Symbol.dispose]!();
  // Only the two grant roots stay open for the instance's life.
  const held = readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((p) => p.startsWith(T));
  expect(held.sort(), `seed ${seed}: host fds left open`).toEqual([ro, rw].sort());
  return { counts, denials: denials.length };
}

describe('randomized filesystem confinement', () => {
  it.each(SEEDS)(
    `seed %i: ${OPS} guest operations never touch the sentinel tree`,
    (seed) => {
      const t0 = performance.now();
      const { counts, denials } = fuzz(seed, OPS);
      const ms = performance.now() - t0;
      // Not vacuous: most kinds of operation succeed sometimes, and many attempts are refused.
      for (const op of [
        'mkdir',
        'rename',
        'symlink',
        'link',
        'open-dir',
        'open-file',
        'read-fd',
        'read-at',
        'write-fd',
        'write-at',
        'list',
        'unlink',
        'rmdir',
        'stat',
        'readlink',
      ]) {
        expect(counts[op]?.[0] ?? 0, `${op} never succeeded: ${JSON.stringify(counts)}`).toBeGreaterThan(0);
      }
      expect(denials).toBeGreaterThan(OPS / 20);
      console.log(`seed ${seed}: ${OPS} ops in ${Math.round(ms)} ms, ${denials} denials, ${JSON.stringify(counts)}`);
    },
    60_000,
  );
});
