// wasi:filesystem for one instance: our own descriptors over host fds (see fs-descriptor.ts), one preopen per grant
// plus a deny-by-default `/` that sees and refuses every path outside the grants.
import { procFdAvailable } from './beneath.js';
import { FsContext, type DenialHook, type FsGrant } from './fs-context.js';
import { Descriptor, DirectoryEntryStream, filesystemErrorCode } from './fs-descriptor.js';
import { DirNode } from './fs-dir-node.js';
import { Fence } from './fs-fence.js';
import { RootNode } from './fs-root-node.js';
import type { FsPreopen } from './spec.js';
import type { FdSlots } from './fd-slots.js';

export { Descriptor, DirectoryEntryStream };

/** Guest path of the virtual root preopen. */
export const ROOT_PREOPEN = '/';

let procChecked: boolean | undefined;

/**
 * Replaces `wasi:filesystem/types` and `/preopens`. Each grant is preopened at its own path; `/` is preopened too
 * (unless `/` itself is granted), so a wasi-libc guest asking for any absolute path reaches the host and the
 * refusal is reported. `reserved` host paths (the server's own state) and per-process /proc are fenced off from
 * every grant (fs-fence.ts). Without /proc/self/fd (not Linux, or /proc not mounted) no directory is reachable at all.
 */
export function guardFilesystem(
  grants: readonly FsPreopen[],
  onDenial: DenialHook,
  slots?: FdSlots,
  reserved: readonly string[] = [],
): Record<string, unknown> {
  procChecked ??= procFdAvailable();
  const usable = procChecked ? grants : [];
  const ctx = new FsContext(
    usable.map((g): FsGrant => ({ root: g.path, read: g.read, write: g.write })),
    onDenial,
    slots,
    new Fence(reserved),
  );
  const nodes = ctx.grants.map((g) => new DirNode(ctx, g, undefined, {}));
  // Open the grant roots before any guest code runs, so nothing the guest renames later can redirect them;
  // a root that does not exist yet is opened on first use.
  for (const g of ctx.grants) {
    try {
      ctx.rootFd(g);
    } catch {
      // missing for now
    }
  }
  const dirs: [Descriptor, string][] = nodes.map((n) => [new Descriptor(n), n.grant.root]);
  if (!ctx.grants.some((g) => g.root === ROOT_PREOPEN)) dirs.push([new Descriptor(new RootNode(ctx, nodes)), ROOT_PREOPEN]);
  if (!procChecked && grants.length > 0) {
    onDenial({
      capability: 'storage',
      target: grants.map((g) => g.path).join(', '),
      reason: 'the filesystem sandbox needs Linux /proc/self/fd to resolve paths safely; no directory is reachable on this host',
    });
  }
  return {
    'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode },
    'wasi:filesystem/preopens': { getDirectories: () => [...dirs] },
  };
}
