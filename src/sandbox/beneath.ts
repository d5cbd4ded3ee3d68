// Resolves a guest path beneath a host directory fd one segment at a time, like openat2(RESOLVE_BENEATH):
// the kernel only ever sees `/proc/self/fd/<dirfd>/<one name>`, never a multi-segment or `..` string.
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';

/** Linux O_PATH: a handle on the object itself, no read permission needed, usable as a base for lookups. */
export const O_PATH = 0o10000000;
const DIR_HANDLE = O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW;
export const MAX_SYMLINK_HOPS = 40;
/** Longest guest path accepted (Linux PATH_MAX). */
export const MAX_PATH_BYTES = 4096;
/** Directory levels held open at once while resolving; each is one host fd until the call returns. */
export const MAX_DEPTH = 128;
/** Segments one resolution may walk, symlink targets included: bounds the work a guest can ask for per call. */
const MAX_STEPS = 4096;

/**
 * `/proc/self/fd/<fd>` (a magic link the kernel follows to the open object itself, wherever it has been
 * renamed to since), or `/proc/self/fd/<fd>/<name>` for one entry of that directory.
 */
export function at(fd: number, name?: string): string {
  return name === undefined ? `/proc/self/fd/${fd}` : `/proc/self/fd/${fd}/${name}`;
}

/**
 * Where the object behind `fd` is now. `deleted`: it has no name anywhere (nothing on the host is reached through
 * it); `unknown`: the name it was opened through was removed but it lives on under another name (a hard link) the
 * kernel does not tell us.
 */
export function currentPath(fd: number): { path: string; state: 'named' | 'deleted' | 'unknown' } {
  const path = readlinkSync(at(fd));
  if (!path.endsWith(' (deleted)')) return { path, state: 'named' };
  const mine = fstatSync(fd);
  try {
    // A real name can end in " (deleted)" too: then it is still this very object.
    const named = lstatSync(path);
    if (named.dev === mine.dev && named.ino === mine.ino) return { path, state: 'named' };
  } catch {
    // no such name: the object's name is gone
  }
  return { path: path.slice(0, -' (deleted)'.length), state: mine.nlink === 0 ? 'deleted' : 'unknown' };
}

/** Is /proc/self/fd usable (Linux with /proc mounted)? Without it no path is resolved at all. */
export function procFdAvailable(): boolean {
  try {
    const fd = openSync('/', DIR_HANDLE & ~constants.O_NOFOLLOW);
    try {
      return readlinkSync(at(fd)) === '/';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

export type EscapeKind = 'absolute' | 'climb' | 'symlink-absolute' | 'symlink-climb';

/** A path that would leave the directory it is resolved beneath; `lexical` is the host path it names. */
export class Escape {
  constructor(
    readonly kind: EscapeKind,
    readonly lexical: string,
    readonly link?: { at: string; target: string },
  ) {}
}

export interface Resolved {
  /** Directory holding the final component: the base fd or one opened while resolving. */
  dir: number;
  /** The final component: one plain name, or `.` for `dir` itself. */
  name: string;
  /** The guest path ended in `/`: the object must be a directory. */
  mustBeDir: boolean;
  /** Closes every fd opened while resolving (never the base). */
  release(): void;
}

/** A link's target, or undefined when `path` is not a link (or gone). */
export function readlinkOrUndefined(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EINVAL' || code === 'ENOENT') return undefined;
    throw e;
  }
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

/**
 * Walks `path` beneath the directory `base`. Intermediate segments are opened O_PATH|O_DIRECTORY|O_NOFOLLOW
 * through the parent's magic link; `..` pops our own stack of fds and may not climb above `base`; a symlink is
 * read and its (relative) target spliced in, at most 40 times. The final component is followed only when
 * `followFinal` (or the path ends in `/`). Throws an `Escape` for absolute paths and anything climbing above `base`.
 * `enter` sees every directory entered (its fd, held until release, and its name) and may throw to stop there.
 */
export function resolveBeneath(base: number, path: string, followFinal: boolean, enter?: (fd: number, name: string) => void): Resolved {
  if (path.includes('\0')) throw 'invalid';
  if (path === '') throw 'no-entry';
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw 'name-too-long';
  if (path.startsWith('/')) throw new Escape('absolute', posix.normalize(path));
  let mustBeDir = path.endsWith('/');
  const follow = followFinal || mustBeDir;
  let pending = segmentsOf(path);
  const stack: number[] = [base];
  const release = (): void => {
    while (stack.length > 1) closeSync(stack.pop()!);
  };
  const top = (): number => stack[stack.length - 1]!;
  const here = (): string => currentPath(top()).path;
  let hops = 0;
  let steps = 0;
  const splice = (name: string, target: string): void => {
    if (++hops > MAX_SYMLINK_HOPS) throw 'loop';
    const rest = pending.slice(1);
    const link = (): { at: string; target: string } => ({ at: posix.join(here(), name), target });
    if (target.startsWith('/')) throw new Escape('symlink-absolute', posix.resolve(target, ...rest), link());
    const spliced = segmentsOf(target);
    // Leading `..` are checked now, so the refusal names the link rather than a later step.
    const climbs = spliced.findIndex((s) => s !== '..');
    if ((climbs < 0 ? spliced.length : climbs) > stack.length - 1) {
      throw new Escape('symlink-climb', posix.resolve(here(), target, ...rest), link());
    }
    if (rest.length === 0 && target.endsWith('/')) mustBeDir = true;
    pending = [...spliced, ...rest];
  };
  try {
    for (;;) {
      if (++steps > MAX_STEPS) throw 'name-too-long';
      const seg = pending[0];
      if (seg === undefined) return { dir: top(), name: '.', mustBeDir, release };
      if (seg === '..') {
        if (stack.length === 1) throw new Escape('climb', posix.resolve(here(), ...pending));
        closeSync(stack.pop()!);
        pending.shift();
        continue;
      }
      const last = pending.length === 1;
      if (last) {
        const target = follow ? readlinkOrUndefined(at(top(), seg)) : undefined;
        if (target === undefined) return { dir: top(), name: seg, mustBeDir, release };
        splice(seg, target);
        continue;
      }
      if (stack.length > MAX_DEPTH) throw 'name-too-long';
      let fd: number;
      try {
        fd = openSync(at(top(), seg), DIR_HANDLE);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'ENOTDIR' && code !== 'ELOOP') throw e;
        const target = readlinkOrUndefined(at(top(), seg));
        if (target === undefined) throw e;
        splice(seg, target);
        continue;
      }
      stack.push(fd);
      enter?.(fd, seg);
      pending.shift();
    }
  } catch (e) {
    release();
    throw e;
  }
}
