// Per-instance filesystem state: the grants with their opened root fds, refusals with the grant that would help,
// and the ledger of host fds the guest's descriptors hold (capped, closed on drop or collection).
import { closeSync, constants, openSync } from 'node:fs';
import { posix } from 'node:path';
import { type Denial, type GrantHint, storageHint } from './spec.js';
import { currentPath, O_PATH } from './beneath.js';
import { FdSlots } from './fd-slots.js';
import { Fence } from './fs-fence.js';
import { isWithin } from './path-guard.js';

export type DenialHook = (d: Denial) => void;
export type AccessList = Array<'read' | 'write'>;

/**
 * Host fds one instance's descriptors and directory streams may hold at once (resolution holds at most
 * MAX_DEPTH more, only during a call). The fd table is the whole server's: one guest must not exhaust it.
 */
export const MAX_OPEN_FDS = 256;

/** One storage grant as the worker enforces it. */
export interface FsGrant {
  /** The granted path, as normalized by the grant (the guest sees the same path). */
  root: string;
  read: boolean;
  write: boolean;
  /** O_PATH fd on the granted directory, opened on first use. */
  fd?: number;
  /** Where that directory was when it was opened: the boundary every later operation is checked against. */
  rootReal?: string;
}

export function uriOf(path: string): string {
  return `fs://${path}`;
}

export function grantCall(path: string, access: AccessList): string {
  return `grant_storage_permission {uri: '${uriOf(path)}', access: [${access.map((a) => `'${a}'`).join(', ')}]}`;
}

export class FsContext {
  readonly grants: FsGrant[];
  readonly #onDenial: DenialHook;
  #open = 0;
  readonly #finalizers = new FinalizationRegistry<() => void>((close) => {
    this.#open--;
    try {
      close();
    } catch {
      // already gone
    }
  });

  /** Shared with the main thread, which closes what is left when the worker is terminated (no finalizer runs then). */
  readonly #slots: FdSlots;

  /** What no grant reaches (the server's own state, per-process /proc). */
  readonly fence: Fence;

  constructor(grants: FsGrant[], onDenial: DenialHook, slots: FdSlots = new FdSlots(), fence: Fence = new Fence([])) {
    this.grants = grants;
    this.fence = fence;
    this.#onDenial = onDenial;
    this.#slots = slots;
  }

  /** Records a host fd the guest's descriptors now hold. */
  hold(fd: number): void {
    if (!this.#slots.add(fd)) {
      closeSync(fd);
      throw 'insufficient-memory';
    }
  }

  deny(code: string, target: string, reason: string, allow?: GrantHint): never {
    this.#onDenial({ capability: 'storage', target, reason, ...(allow ? { allow } : {}) });
    throw code;
  }

  needWrite(g: FsGrant, target: () => string, op: string): void {
    if (g.write) return;
    const t = target();
    this.deny(
      'read-only',
      t,
      `${op} ${t} refused: ${g.root} is granted read-only; ${grantCall(g.root, ['read', 'write'])} to allow`,
      storageHint(g.root, ['read', 'write']),
    );
  }

  needRead(g: FsGrant, target: () => string, op: string): void {
    if (g.read) return;
    const t = target();
    const access: AccessList = g.write ? ['read', 'write'] : ['read'];
    this.deny('access', t, `${op} ${t} refused: ${g.root} is not granted for reading; ${grantCall(g.root, access)} to allow`, storageHint(g.root, access));
  }

  /** The grant's root fd, opening it (following the user's own path) on first use. */
  rootFd(g: FsGrant): number {
    if (g.fd !== undefined) return g.fd;
    const fd = openSync(g.root, O_PATH | constants.O_DIRECTORY);
    this.hold(fd);
    g.fd = fd;
    g.rootReal = currentPath(fd).path;
    return fd;
  }

  /**
   * Refuses to act through `fd` unless the object is inside its grant right now: a directory renamed out of the
   * grant (by anyone) since it was opened is no longer reachable through its old descriptors.
   */
  checkInside(g: FsGrant, fd: number): void {
    const root = g.rootReal ?? g.root;
    const now = currentPath(fd);
    if (now.state === 'deleted') return; // nothing on the host is reached through an object that has no name any more
    const fenced = this.fence.pathReason(now.path);
    if (fenced !== undefined) this.refuseFenced(now.path, fenced);
    if (now.state === 'named' && isWithin(root, now.path)) return;
    const where =
      now.state === 'named'
        ? `${now.path} is no longer inside the granted ${g.root} (it was moved after the descriptor was opened)`
        : `${now.path} was removed, and the file it named lives on only under another name that may be outside the granted ${g.root}`;
    const access: AccessList = g.write ? ['read', 'write'] : ['read'];
    const dir = posix.dirname(now.path);
    this.deny('not-permitted', now.path, `${where}; ${grantCall(dir, access)} to allow`, storageHint(dir, access));
  }

  /** Refuses `path` because it lies behind the fence, whatever is granted. */
  refuseFenced(path: string, reason: string): never {
    this.deny('access', path, `${path} refused: ${reason}`);
  }

  /** Counts a new host fd held by `owner`; `close` runs on dispose, or when `owner` is collected without one. */
  track(owner: object, close: () => void): void {
    this.#open++;
    this.#finalizers.register(owner, close, owner);
  }

  /** An fd's close function for `track`: forgets it in the shared table, then closes it. */
  closer(fd: number): () => void {
    return () => this.#slots.close(fd);
  }

  /** Refuses before opening when the instance already holds its share of host fds. */
  reserve(): void {
    if (this.#open >= MAX_OPEN_FDS) throw 'insufficient-memory';
  }

  /** Closes what `owner` holds, once. */
  untrack(owner: object, close: () => void): void {
    if (!this.#finalizers.unregister(owner)) return;
    this.#open--;
    close();
  }

  get openFds(): number {
    return this.#open;
  }

  /** A host path for messages: where `fd` is now, joined lexically with the guest's `path`. */
  lexical(fd: number, path: string): string {
    try {
      return posix.resolve(currentPath(fd).path, path);
    } catch {
      return path;
    }
  }
}

export interface PathFlags {
  symlinkFollow?: boolean;
}
export interface OpenFlags {
  create?: boolean;
  directory?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
}
export interface DescriptorFlags {
  read?: boolean;
  write?: boolean;
  fileIntegritySync?: boolean;
  dataIntegritySync?: boolean;
  requestedWriteSync?: boolean;
  mutateDirectory?: boolean;
}
