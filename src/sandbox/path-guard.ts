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
 * Would a symlink at `linkPath` with `target` resolve (lexically) inside `root`?
 * Used to refuse creating links that point out of a grant, so the grant never becomes a door for other programs.
 */
export function symlinkStaysWithin(root: string, linkPath: string, target: string): boolean {
  if (target.includes('\0')) return false;
  // The kernel applies `..` to where the segment before it really leads: `l1/..` with `l1 -> .` is the
  // parent of the link's directory, not the directory itself. Only leading `..` segments are predictable.
  const segments = target.split('/').filter((s) => s !== '' && s !== '.');
  const firstNamed = segments.findIndex((s) => s !== '..');
  if (firstNamed >= 0 && segments.indexOf('..', firstNamed) >= 0) return false;
  if (posix.isAbsolute(target)) return isWithin(root, posix.normalize(target));
  return isWithin(root, posix.normalize(posix.join(posix.dirname(linkPath), target)));
}
