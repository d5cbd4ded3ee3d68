// Pure path rules for guest filesystem access: containment of host paths, and which symlinks a guest may create.

/** Is `candidate` equal to `root` or inside it? Both must be absolute and normalized. */
export function isWithin(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return candidate.startsWith(prefix);
}

/**
 * Why a guest may not create a symlink with this target, or undefined when it may. Only relative targets without
 * any `..` segment are accepted: such a link can only name something below the directory holding it, wherever the
 * link (or a directory above it) is renamed to later, so it can never lead out of its grant, for the guest or for
 * any other program on the host that follows it.
 */
export function guestLinkTargetProblem(target: string): string | undefined {
  if (target.length === 0) return 'the target is empty';
  if (target.includes('\0')) return 'the target contains a NUL byte';
  if (target.startsWith('/')) return 'absolute targets are not allowed (a link may only point below its own directory)';
  if (target.split('/').includes('..')) return 'targets with a .. segment are not allowed (a link may only point below its own directory)';
  return undefined;
}
