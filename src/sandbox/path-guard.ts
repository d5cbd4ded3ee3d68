// Pure path rules for guest filesystem access: relative subpaths only, never above the descriptor, never outside a grant.
import { posix } from 'node:path';

export type PathVerdict = { ok: true; segments: string[] } | { ok: false; why: string };

/**
 * Normalizes a guest subpath the way preview2-shim resolves it (lexically: `a/../b` is `b`).
 * Refuses absolute paths, NUL bytes and any `..` that would climb above the descriptor it is relative to.
 */
export function checkSubpath(subpath: string): PathVerdict {
  if (subpath.includes('\0')) return { ok: false, why: 'the path contains a NUL byte' };
  const p = subpath.replace(/\\/g, '/');
  if (p.startsWith('/')) return { ok: false, why: `absolute path ${subpath} is not relative to a granted directory` };
  const segments: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (segments.pop() === undefined) return { ok: false, why: `path ${subpath} climbs out of its directory with ..` };
    } else {
      segments.push(seg);
    }
  }
  return { ok: true, segments };
}

/** Is `candidate` equal to `root` or inside it? Both must be absolute and normalized. */
export function isWithin(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return candidate.startsWith(prefix);
}

/**
 * May a component create a symlink at `linkPath` (inside `root`) with `target`? Only relative targets without any
 * `..` segment: such a link resolves beneath the directory holding it, so it stays inside the grant wherever that
 * directory is later moved (a `../..` that is inside the grant where it is made can point out after a rename).
 * Intermediate links it passes through obey the same rule, and links the component did not make are resolved
 * and checked at use.
 */
export function symlinkStaysWithin(root: string, linkPath: string, target: string): boolean {
  if (target === '' || target.includes('\0') || posix.isAbsolute(target)) return false;
  if (target.split('/').some((s) => s === '..')) return false;
  return isWithin(root, posix.normalize(posix.join(posix.dirname(linkPath), target)));
}
