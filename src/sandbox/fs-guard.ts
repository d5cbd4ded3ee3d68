// wasi:filesystem for one instance: wraps preview2-shim descriptors so read-only grants stay read-only and no path leaves a grant.
import { posix } from 'node:path';
import type { Denial, FsPreopen } from './spec.js';
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

/** A descriptor the guest holds: the shim's descriptor plus the grant it came from and its real host path. */
export class GuardedDescriptor {
  readonly #inner: ShimDescriptor;
  readonly #grant: Grant;
  readonly #hostPath: string;
  readonly #isPreopen: boolean;
  /** The flags it was opened with; undefined for a preopen. */
  readonly #opened: DescriptorFlags | undefined;

  constructor(inner: ShimDescriptor, grant: Grant, hostPath: string, opened: DescriptorFlags | undefined) {
    this.#inner = inner;
    this.#grant = grant;
    this.#hostPath = hostPath;
    this.#isPreopen = opened === undefined;
    this.#opened = opened;
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
    const real = resolveReal(this.#hostPath, verdict.segments, followFinal);
    if (!isWithin(this.#grant.rootReal, real)) {
      this.#deny('not-permitted', real,
        `${posix.join(this.#hostPath, ...verdict.segments)} leads to ${real}, outside the granted ${this.#grant.root}; ` +
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
    return this.#call('syncData');
  }
  getFlags(): unknown {
    // The shim has no flags for a preopen; report what the grant allows.
    if (this.#isPreopen) return { read: this.#grant.read, mutateDirectory: this.#grant.write };
    return this.#call('getFlags');
  }
  getType(): unknown {
    return this.#call('getType');
  }
  setSize(size: bigint): unknown {
    this.#needWrite(this.#hostPath, 'resize');
    this.#needOpenedFor('write');
    return this.#call('setSize', size);
  }
  setTimes(...args: unknown[]): unknown {
    this.#needWrite(this.#hostPath, 'set times of');
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
    this.#needRead(this.#hostPath, 'list');
    // preview2-shim cannot list a preopen itself (it has no open handle); list it through a handle to `.`.
    if (!this.#isPreopen) return this.#call('readDirectory');
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
    return this.#call('sync');
  }
  createDirectoryAt(path: string): unknown {
    const target = this.#resolve(path, false);
    this.#needWrite(target, 'create directory');
    return this.#call('createDirectoryAt', path);
  }
  stat(): unknown {
    if (this.#isPreopen) return this.#call('statAt', { symlinkFollow: false }, '.');
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
    return new GuardedDescriptor(inner, this.#grant, realOrSelf(target), { ...flags });
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
      this.#deny('not-permitted', link, `symlink ${link} -> ${target} would point outside the granted ${this.#grant.root}`);
    }
    return this.#call('symlinkAt', target, path);
  }
  unlinkFileAt(path: string): unknown {
    const target = this.#resolve(path, false);
    this.#needWrite(target, 'delete');
    return this.#call('unlinkFileAt', path);
  }
  isSameObject(other: unknown): boolean {
    return other instanceof GuardedDescriptor && this.#call('isSameObject', other.#inner) === true;
  }
  metadataHash(): unknown {
    return this.#call('metadataHash');
  }
  metadataHashAt(flags: PathFlags, path: string): unknown {
    this.#resolve(path, flags.symlinkFollow === true);
    return this.#call('metadataHashAt', flags, path);
  }
  [symbolDispose](): void {
    this.#inner[symbolDispose]?.call(this.#inner);
  }
}

/**
 * Replaces `wasi:filesystem/types` and `/preopens` with guarded versions.
 * `shimTypes`/`shimPreopens` are what preview2-shim's WASIShim built from the same preopens (guest path = host path).
 */
export function guardFilesystem(shimTypes: unknown, shimPreopens: unknown, grants: readonly FsPreopen[], onDenial: DenialHook): Record<string, unknown> {
  const types = shimTypes as Record<string, unknown>;
  const inner = (shimPreopens as { getDirectories(): [ShimDescriptor, string][] }).getDirectories();
  const byPath = new Map(grants.map((g) => [g.path, g]));
  const dirs: [GuardedDescriptor, string][] = [];
  for (const [descriptor, guestPath] of inner) {
    const g = byPath.get(guestPath);
    if (!g) continue;
    const rootReal = realOrSelf(g.path);
    dirs.push([new GuardedDescriptor(descriptor, { root: g.path, rootReal, read: g.read, write: g.write, onDenial }, rootReal, undefined), guestPath]);
  }
  return {
    'wasi:filesystem/types': { ...types, Descriptor: GuardedDescriptor },
    'wasi:filesystem/preopens': { getDirectories: () => [...dirs] },
  };
}
