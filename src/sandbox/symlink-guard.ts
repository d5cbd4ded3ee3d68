// Where a guest path really leads on the host: symlinks followed the way the kernel would, for containment checks.
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { posix } from 'node:path';

const MAX_SYMLINKS = 40;

/** The canonical path, or the path itself when it does not exist (yet). */
export function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Where `segments` under the real directory `start` really lead, following symlinks like the kernel would
 * (the final one only when `followFinal`). Paths that do not exist yet resolve lexically from the last real directory.
 */
export function resolveReal(start: string, segments: readonly string[], followFinal: boolean): string {
  let current = start;
  let pending = [...segments];
  let hops = 0;
  while (pending.length > 0) {
    const seg = pending.shift() as string;
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      current = posix.dirname(current);
      continue;
    }
    const candidate = posix.join(current, seg);
    let isLink: boolean;
    try {
      isLink = lstatSync(candidate).isSymbolicLink();
    } catch {
      return posix.resolve(candidate, ...pending);
    }
    if (!isLink || (pending.length === 0 && !followFinal)) {
      current = candidate;
      continue;
    }
    if (++hops > MAX_SYMLINKS) throw 'loop';
    const target = readlinkSync(candidate);
    if (posix.isAbsolute(target)) current = '/';
    pending = [...target.split('/'), ...pending];
  }
  return current;
}
