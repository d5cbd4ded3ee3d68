// wasi:filesystem for one instance: wraps preview2-shim descriptors so read-only grants stay read-only and no path leaves a grant.
import { constants, fstatSync, fsyncSync, openSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { _createPreopenDescriptor } from '@bytecodealliance/preview2-shim/filesystem';
import type { Denial, FsPreopen } from './spec.js';
import { FdSlots } from './fd-slots.js';
import { checkSubpath, isWithin, symlinkStaysWithin } from './path-guard.js';
import { realOrSelf, resolveReal } from './symlink-guard.js';

type DenialHook = (d: Denial) => void;
type Method = (...args: unknown[]) => unknown;
type ShimDescriptor = Record<string | symbol, Method>;
interface PathFlags {
  symlinkFollow?: boolean;
}
interface OpenFlags {
  create?: boolean;
  directory?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
}
interface DescriptorFlags {
  read?: boolean;
  write?: boolean;
  mutateDirectory?: boolean;
}

const symbolDispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

interface Grant {
  root: string;
  rootReal: string;
  read: boolean;
  write: boolean;
  onDenial: DenialHook;
  slots: FdSlots;
}

/** `/proc/self/fd/<fd>`: the kernel resolves it to the open directory object itself, wherever it has been moved since. */
function procPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

/**
 * Opens a host directory and records the descriptor against the instance's budget. A directory descriptor the
 * guest holds is this fd, never a path string: the shim's path operations start from `/proc/self/fd/<fd>`.
 */
function openDirFd(hostPath: string, slots: FdSlots, follow: boolean): number {
  const fd = openSync(hostPath, constants.O_RDONLY | constants.O_DIRECTORY | (follow ? 0 : constants.O_NOFOLLOW));
  if (!slots.add(fd)) {
    slots.close(fd);
    throw 'insufficient-memory';
  }
  return fd;
}

function dirDescriptor(fd: number): ShimDescriptor {
  return _createPreopenDescriptor(procPath(fd)) as unknown as ShimDescriptor;
}

const ERRNO_CODES: Record<string, string> = {
  EBADF: 'bad-descriptor', EACCES: 'access', EPERM: 'not-permitted', ENOENT: 'no-entry', EISDIR: 'is-directory',
  ENOTDIR: 'not-directory', EEXIST: 'exist', ENOSPC: 'insufficient-space', EROFS: 'read-only', ELOOP: 'loop',
};

/**
 * Some shim paths (e.g. `write` on a descriptor opened read-only) throw raw Node errors, which jco turns into a
 * trap that poisons the instance. Give the guest a WASI error code instead.
 */
function toErrorCode(e: unknown): unknown {
  if (typeof e === 'string' || (typeof e === 'object' && e !== null && 'tag' in e)) return e;
  const code = (e as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && ERRNO_CODES[code]) || 'io';
}

function uriOf(root: string): string {
  return `fs://${root}`;
}

/**
 * A descriptor the guest holds, with the grant it came from. A directory is a host fd of ours (the shim sees it as
 * a preopen at `/proc/self/fd/<fd>`), so renames of anything above it never change what it refers to; a file is the
 * shim's own descriptor, whose data operations go through its fd.
 */
export class GuardedDescriptor {
  readonly #inner: ShimDescriptor;
  readonly #grant: Grant;
  /** Host path a file was opened at (for messages); a directory's current path is read from its fd. */
  readonly #hostPath: string;
  /** Our fd when this is a directory. */
  readonly #dirFd: number | undefined;
  /** The flags it was opened with; undefined for a grant's root. */
  readonly #opened: DescriptorFlags | undefined;

  constructor(inner: ShimDescriptor, grant: Grant, hostPath: string, opened: DescriptorFlags | undefined, dirFd?: number) {
    this.#inner = inner;
    this.#grant = grant;
    this.#hostPath = hostPath;
    this.#dirFd = dirFd;
    this.#opened = opened;
  }

  /**
   * Where a directory descriptor is now. Checked on every operation: a directory moved out of the grant (by anyone)
   * is refused, and a removed one is gone.
   */
  #base(): string {
    if (this.#dirFd === undefined) return this.#hostPath;
    let now: string;
    try {
      now = readlinkSync(procPath(this.#dirFd));
    } catch {
      throw 'bad-descriptor';
    }
    if (now.endsWith(' (deleted)')) throw 'no-entry';
    if (!isWithin(this.#grant.rootReal, now)) {
      this.#deny('not-permitted', now, `the directory this descriptor refers to is now ${now}, outside the granted ${this.#grant.root}`);
    }
    return now;
  }

  static unwrap(d: unknown): GuardedDescriptor {
    if (!(d instanceof GuardedDescriptor)) throw 'bad-descriptor';
    return d;
  }

  #deny(code: string, target: string, reason: string): never {
    this.#grant.onDenial({ capability: 'storage', target, reason });
    throw code;
  }

  #needWrite(target: string, op: string): void {
    if (this.#grant.write) return;
    this.#deny('read-only', target,
      `${op} ${target} refused: ${this.#grant.root} is granted read-only; ` +
      `grant_storage_permission {uri: '${uriOf(this.#grant.root)}', access: ['read', 'write']} to allow`);
  }

  #needRead(target: string, op: string): void {
    if (this.#grant.read) return;
    this.#deny('access', target,
      `${op} ${target} refused: ${this.#grant.root} is not granted for reading; ` +
      `grant_storage_permission {uri: '${uriOf(this.#grant.root)}', access: ['read']} to allow`);
  }

  /** The real host path `subpath` leads to, or a denial when it is absolute, climbs out, or a symlink leaves the grant. */
  #resolve(subpath: string, followFinal: boolean): string {
    const verdict = checkSubpath(subpath);
    if (!verdict.ok) this.#deny('not-permitted', subpath, `${verdict.why}; only granted directories are visible`);
    const base = this.#base();
    const real = resolveReal(base, verdict.segments, followFinal);
    if (!isWithin(this.#grant.rootReal, real)) {
      this.#deny('not-permitted', real,
        `${posix.join(base, ...verdict.segments)} leads to ${real}, outside the granted ${this.#grant.root}; ` +
        `grant_storage_permission {uri: '${uriOf(real)}'} to allow`);
    }
    return real;
  }

  #call(name: string, ...args: unknown[]): unknown {
    const fn = this.#inner[name];
    if (typeof fn !== 'function') throw 'unsupported';
    try {
      return fn.apply(this.#inner, args);
    } catch (e) {
      throw toErrorCode(e);
    }
  }

  /** WASI semantics the shim leaves to the OS: a descriptor only does what it was opened for. */
  #needOpenedFor(mode: 'read' | 'write'): void {
    if (this.#opened && !this.#opened[mode]) throw 'bad-descriptor';
  }

  readViaStream(offset: bigint): unknown {
    this.#needRead(this.#hostPath, 'read');
    this.#needOpenedFor('read');
    return this.#call('readViaStream', offset);
  }
  writeViaStream(offset: bigint): unknown {
    this.#needWrite(this.#hostPath, 'write');
    this.#needOpenedFor('write');
    return this.#call('writeViaStream', offset);
  }
  appendViaStream(): unknown {
    this.#needWrite(this.#hostPath, 'append to');
    this.#needOpenedFor('write');
    return this.#call('appendViaStream');
  }
  advise(...args: unknown[]): unknown {
    return this.#call('advise', ...args);
  }
  syncData(): unknown {
    return this.sync();
  }
  getFlags(): unknown {
    // A grant's root reports what the grant allows; an opened directory what it was opened with.
    if (this.#dirFd !== undefined) return this.#opened ? { ...this.#opened } : { read: this.#grant.read, mutateDirectory: this.#grant.write };
    return this.#call('getFlags');
  }
  getType(): unknown {
    if (this.#dirFd !== undefined) return 'directory';
    return this.#call('getType');
  }
  setSize(size: bigint): unknown {
    this.#needWrite(this.#hostPath, 'resize');
    this.#needOpenedFor('write');
    return this.#call('setSize', size);
  }
  setTimes(...args: unknown[]): unknown {
    this.#needWrite(this.#base(), 'set times of');
    if (this.#dirFd !== undefined) return this.#call('setTimesAt', { symlinkFollow: false }, '.', ...args);
    return this.#call('setTimes', ...args);
  }
  read(length: bigint, offset: bigint): unknown {
    this.#needRead(this.#hostPath, 'read');
    this.#needOpenedFor('read');
    return this.#call('read', length, offset);
  }
  write(buffer: Uint8Array, offset: bigint): unknown {
    this.#needWrite(this.#hostPath, 'write');
    this.#needOpenedFor('write');
    return this.#call('write', buffer, offset);
  }
  readDirectory(): unknown {
    this.#needRead(this.#base(), 'list');
    // preview2-shim cannot list a preopen itself (it has no open handle); list it through a handle to `.`.
    if (this.#dirFd === undefined) return this.#call('readDirectory');
    const self = this.#call('openAt', { symlinkFollow: false }, '.', { directory: true }, { read: true }) as ShimDescriptor;
    try {
      return self.readDirectory!();
    } catch (e) {
      throw toErrorCode(e);
    } finally {
      self[symbolDispose]?.call(self);
    }
  }
  sync(): unknown {
    if (this.#dirFd === undefined) return this.#call('sync');
    try {
      fsyncSync(this.#dirFd);
    } catch (e) {
      throw toErrorCode(e);
    }
    return undefined;
  }
  createDirectoryAt(path: string): unknown {
    const target = this.#resolve(path, false);
    this.#needWrite(target, 'create directory');
    return this.#call('createDirectoryAt', path);
  }
  stat(): unknown {
    if (this.#dirFd !== undefined) {
      this.#base();
      return this.#call('statAt', { symlinkFollow: false }, '.');
    }
    return this.#call('stat');
  }
  statAt(flags: PathFlags, path: string): unknown {
    this.#resolve(path, flags.symlinkFollow === true);
    return this.#call('statAt', flags, path);
  }
  setTimesAt(flags: PathFlags, path: string, ...rest: unknown[]): unknown {
    const target = this.#resolve(path, flags.symlinkFollow === true);
    this.#needWrite(target, 'set times of');
    return this.#call('setTimesAt', flags, path, ...rest);
  }
  linkAt(oldFlags: PathFlags, oldPath: string, newDescriptor: unknown, newPath: string): unknown {
    const other = GuardedDescriptor.unwrap(newDescriptor);
    // A hard link is a second name for the same file: both ends must be writable, or a read-only file becomes writable.
    const source = this.#resolve(oldPath, oldFlags.symlinkFollow === true);
    this.#needWrite(source, 'hard-link');
    const dest = other.#resolve(newPath, false);
    other.#needWrite(dest, 'hard-link to');
    return this.#call('linkAt', oldFlags, oldPath, other.#inner, newPath);
  }
  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): GuardedDescriptor {
    const target = this.#resolve(path, pathFlags.symlinkFollow === true);
    if (openFlags.create || openFlags.truncate || flags.write || flags.mutateDirectory) {
      this.#needWrite(target, openFlags.create ? 'create' : 'open for writing');
    }
    if (flags.read) this.#needRead(target, 'open');
    const inner = this.#call('openAt', pathFlags, path, openFlags, flags) as ShimDescriptor;
    let isDir = false;
    try {
      isDir = inner.getType!() === 'directory';
    } catch {
      // not a directory we can tell; keep the shim's descriptor
    }
    if (!isDir) return new GuardedDescriptor(inner, this.#grant, realOrSelf(target), { ...flags });
    // A directory becomes our own fd, so what it refers to can never be changed by a later rename.
    inner[symbolDispose]?.call(inner);
    let fd: number;
    try {
      fd = openDirFd(target, this.#grant.slots, false);
    } catch (e) {
      throw toErrorCode(e);
    }
    return new GuardedDescriptor(dirDescriptor(fd), this.#grant, target, { ...flags }, fd);
  }
  readlinkAt(path: string): unknown {
    const target = this.#resolve(path, false);
    this.#needRead(target, 'read link');
    return this.#call('readlinkAt', path);
  }
  removeDirectoryAt(path: string): unknown {
    const target = this.#resolve(path, false);
    this.#needWrite(target, 'remove directory');
    return this.#call('removeDirectoryAt', path);
  }
  renameAt(oldPath: string, newDescriptor: unknown, newPath: string): unknown {
    const other = GuardedDescriptor.unwrap(newDescriptor);
    const source = this.#resolve(oldPath, false);
    this.#needWrite(source, 'rename');
    const dest = other.#resolve(newPath, false);
    other.#needWrite(dest, 'rename to');
    return this.#call('renameAt', oldPath, other.#inner, newPath);
  }
  symlinkAt(target: string, path: string): unknown {
    const link = this.#resolve(path, false);
    this.#needWrite(link, 'create symlink');
    if (!symlinkStaysWithin(this.#grant.rootReal, link, target)) {
      this.#deny('not-permitted', link,
        `symlink ${link} -> ${target} refused: a link a component makes must be relative and free of '..', ` +
        `so it stays inside ${this.#grant.root} wherever it is moved`);
    }
    return this.#call('symlinkAt', target, path);
  }
  unlinkFileAt(path: string): unknown {
    const target = this.#resolve(path, false);
    this.#needWrite(target, 'delete');
    return this.#call('unlinkFileAt', path);
  }
  isSameObject(other: unknown): boolean {
    if (!(other instanceof GuardedDescriptor)) return false;
    if (this.#dirFd !== undefined || other.#dirFd !== undefined) {
      if (this.#dirFd === undefined || other.#dirFd === undefined) return false;
      const a = fstatSync(this.#dirFd, { bigint: true });
      const b = fstatSync(other.#dirFd, { bigint: true });
      return a.dev === b.dev && a.ino === b.ino;
    }
    return this.#call('isSameObject', other.#inner) === true;
  }
  metadataHash(): unknown {
    if (this.#dirFd !== undefined) {
      // Same formula as the shim's metadataHashAt: modification time and inode.
      const st = fstatSync(this.#dirFd, { bigint: true });
      return { upper: st.mtimeNs, lower: st.ino };
    }
    return this.#call('metadataHash');
  }
  metadataHashAt(flags: PathFlags, path: string): unknown {
    this.#resolve(path, flags.symlinkFollow === true);
    return this.#call('metadataHashAt', flags, path);
  }
  [symbolDispose](): void {
    if (this.#dirFd !== undefined) {
      this.#grant.slots.close(this.#dirFd);
      return;
    }
    this.#inner[symbolDispose]?.call(this.#inner);
  }
}

/**
 * Replaces `wasi:filesystem/types` and `/preopens` with guarded versions. Each grant is preopened at its own path
 * from a directory fd opened here (a grant whose directory cannot be opened is not offered). `slots` holds every
 * directory fd so the instance's budget is bounded and the main thread can close them after the worker ends.
 */
export function guardFilesystem(
  shimTypes: unknown, grants: readonly FsPreopen[], onDenial: DenialHook, slots: FdSlots = new FdSlots(),
): Record<string, unknown> {
  const types = shimTypes as Record<string, unknown>;
  const dirs: [GuardedDescriptor, string][] = [];
  for (const g of grants) {
    const rootReal = realOrSelf(g.path);
    let fd: number;
    try {
      fd = openDirFd(rootReal, slots, true);
    } catch {
      continue;
    }
    const grant: Grant = { root: g.path, rootReal, read: g.read, write: g.write, onDenial, slots };
    dirs.push([new GuardedDescriptor(dirDescriptor(fd), grant, rootReal, undefined, fd), g.path]);
  }
  return {
    'wasi:filesystem/types': { ...types, Descriptor: GuardedDescriptor },
    'wasi:filesystem/preopens': { getDirectories: () => [...dirs] },
  };
}
