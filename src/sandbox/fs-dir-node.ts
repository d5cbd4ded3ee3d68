// A guest directory descriptor backed by a host O_PATH fd: every path is resolved beneath it, every operation
// first checks the grant and that the directory is still inside it.
import {
  closeSync,
  constants,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  opendirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  type Dir,
} from 'node:fs';
import { posix } from 'node:path';
import { at, currentPath, Escape, O_PATH, readlinkOrUndefined, resolveBeneath, type Resolved } from './beneath.js';
import { type FsContext, grantCall, type AccessList, type DescriptorFlags, type FsGrant, type OpenFlags, type PathFlags } from './fs-context.js';
import { FileNode } from './fs-file-node.js';
import { metadataHashOf, timestampSeconds, toDescriptorStat, type DescriptorStat, type NewTimestamp } from './fs-stat.js';
import { guestLinkTargetProblem, isWithin } from './path-guard.js';

const READ: AccessList = ['read'];
const WRITE: AccessList = ['read', 'write'];

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  }
}

export class DirNode {
  readonly ctx: FsContext;
  readonly grant: FsGrant;
  /** Undefined for a preopen: the grant's root fd, owned by the context, not by this descriptor. */
  readonly #fd: number | undefined;
  readonly #flags: DescriptorFlags;

  constructor(ctx: FsContext, grant: FsGrant, fd: number | undefined, flags: DescriptorFlags) {
    this.ctx = ctx;
    this.grant = grant;
    this.#fd = fd;
    this.#flags = flags;
    if (fd !== undefined) {
      ctx.hold(fd);
      ctx.track(this, ctx.closer(fd));
    }
  }

  /** The fd, after checking that the directory is inside its grant right now. */
  live(): number {
    const fd = this.#fd ?? this.ctx.rootFd(this.grant);
    this.ctx.checkInside(this.grant, fd);
    return fd;
  }

  #lexical(path: string): () => string {
    return () => this.ctx.lexical(this.#fd ?? this.ctx.rootFd(this.grant), path);
  }

  /** Resolves `path` beneath this directory and runs `op` on the result; refuses escapes as denials. */
  beneath<T>(path: string, follow: boolean, access: AccessList, op: (r: Resolved) => T): T {
    let r: Resolved;
    const fence = this.ctx.fence;
    const enter = (fd: number, name: string): void => {
      const why = fence.enterReason(fd, name);
      if (why !== undefined) this.ctx.refuseFenced(currentPath(fd).path, why);
    };
    try {
      r = resolveBeneath(this.live(), path, follow, enter);
    } catch (e) {
      if (e instanceof Escape) this.#refuseEscape(e, path, access);
      throw e;
    }
    try {
      const why = fence.finalReason(r.dir, r.name);
      if (why !== undefined) this.ctx.refuseFenced(posix.join(currentPath(r.dir).path, r.name), why);
      return op(r);
    } finally {
      r.release();
    }
  }

  #refuseEscape(e: Escape, path: string, access: AccessList): never {
    const { root } = this.grant;
    const inGrant = isWithin(this.grant.rootReal ?? root, e.lexical);
    const ask = inGrant ? `open it through the preopened ${root} instead` : `${grantCall(posix.dirname(e.lexical), access)} to allow`;
    let why: string;
    switch (e.kind) {
      case 'absolute':
        why = `absolute path ${path} is not relative to a granted directory`;
        break;
      case 'climb':
        why = inGrant
          ? `${path} climbs out of its directory with .. (above the descriptor it is relative to)`
          : `${path} climbs out of its directory with .. to ${e.lexical}, outside the granted ${root}`;
        break;
      case 'symlink-absolute':
        why = `${e.link?.at} is a symlink to the absolute path ${e.link?.target}, which leads outside the granted ${root}`;
        break;
      case 'symlink-climb':
        why = inGrant
          ? `${e.link?.at} is a symlink to ${e.link?.target}, which climbs above the descriptor it is resolved from`
          : `${e.link?.at} is a symlink to ${e.link?.target}, which leads to ${e.lexical}, outside the granted ${root}`;
        break;
    }
    this.ctx.deny('not-permitted', e.lexical, `${why}; ${ask}`);
  }

  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): DirNode | FileNode {
    if (flags.requestedWriteSync || flags.fileIntegritySync || flags.dataIntegritySync) throw 'unsupported';
    if (openFlags.create && openFlags.directory) throw 'invalid';
    if (openFlags.directory && (flags.write || openFlags.truncate)) throw 'is-directory';
    const target = this.#lexical(path);
    const writes = openFlags.create === true || openFlags.truncate === true || flags.write === true || flags.mutateDirectory === true;
    if (writes) this.ctx.needWrite(this.grant, target, openFlags.create ? 'create' : 'open for writing');
    if (flags.read) this.ctx.needRead(this.grant, target, 'open');
    this.ctx.reserve();
    return this.beneath(path, pathFlags.symlinkFollow === true, writes ? WRITE : READ, (r) => {
      const directory = openFlags.directory === true || r.mustBeDir;
      let how = constants.O_NOFOLLOW;
      if (directory) {
        how |= O_PATH | constants.O_DIRECTORY;
      } else {
        if (flags.read && flags.write) how |= constants.O_RDWR;
        else if (flags.write) how |= constants.O_WRONLY;
        else if (!flags.read && !openFlags.create && !openFlags.truncate) how |= O_PATH;
        if (openFlags.create) how |= constants.O_CREAT;
        if (openFlags.exclusive) how |= constants.O_EXCL;
        if (openFlags.truncate) how |= constants.O_TRUNC;
      }
      const fd = openSync(at(r.dir, r.name), how, 0o666);
      try {
        const st = fstatSync(fd, { bigint: true });
        // O_PATH|O_NOFOLLOW opens a symlink itself where O_NOFOLLOW alone would fail with ELOOP.
        if (st.isSymbolicLink()) throw 'loop';
        if (st.isDirectory()) {
          if (flags.write) throw 'is-directory';
          return new DirNode(this.ctx, this.grant, fd, { ...flags });
        }
        if (directory) throw 'not-directory';
        return new FileNode(this.ctx, this.grant, fd, { ...flags });
      } catch (e) {
        closeSync(fd);
        throw e;
      }
    });
  }

  readDirectory(): Dir {
    const fd = this.live();
    this.ctx.needRead(this.grant, this.#lexical('.'), 'list');
    this.ctx.reserve();
    return opendirSync(at(fd));
  }

  createDirectoryAt(path: string): void {
    this.ctx.needWrite(this.grant, this.#lexical(path), 'create directory');
    this.beneath(path, false, WRITE, (r) => mkdirSync(at(r.dir, r.name)));
  }

  stat(): DescriptorStat {
    return toDescriptorStat(fstatSync(this.live(), { bigint: true }));
  }

  statAt(pathFlags: PathFlags, path: string): DescriptorStat {
    return this.beneath(path, pathFlags.symlinkFollow === true, READ, (r) => {
      const st = lstatSync(at(r.dir, r.name), { bigint: true });
      if (r.mustBeDir && !st.isDirectory()) throw 'not-directory';
      return toDescriptorStat(st);
    });
  }

  metadataHash(): { upper: bigint; lower: bigint } {
    return metadataHashOf(fstatSync(this.live(), { bigint: true }));
  }

  metadataHashAt(pathFlags: PathFlags, path: string): { upper: bigint; lower: bigint } {
    return this.beneath(path, pathFlags.symlinkFollow === true, READ, (r) => metadataHashOf(lstatSync(at(r.dir, r.name), { bigint: true })));
  }

  setTimes(atime: NewTimestamp, mtime: NewTimestamp): void {
    const fd = this.live();
    this.ctx.needWrite(this.grant, this.#lexical('.'), 'set times of');
    const st = fstatSync(fd, { bigint: true });
    utimesSync(at(fd), timestampSeconds(atime, st.atimeNs), timestampSeconds(mtime, st.mtimeNs));
  }

  setTimesAt(pathFlags: PathFlags, path: string, atime: NewTimestamp, mtime: NewTimestamp): void {
    this.ctx.needWrite(this.grant, this.#lexical(path), 'set times of');
    this.beneath(path, pathFlags.symlinkFollow === true, WRITE, (r) => {
      // lutimes never follows a final symlink; with follow requested, resolution already did.
      const st = lstatSync(at(r.dir, r.name), { bigint: true });
      lutimesSync(at(r.dir, r.name), timestampSeconds(atime, st.atimeNs), timestampSeconds(mtime, st.mtimeNs));
    });
  }

  linkAt(oldFlags: PathFlags, oldPath: string, dest: DirNode, newPath: string): void {
    // A hard link is a second name for the same file: both ends must be writable, or a read-only file becomes writable.
    this.ctx.needWrite(this.grant, this.#lexical(oldPath), 'hard-link');
    dest.ctx.needWrite(dest.grant, dest.#lexical(newPath), 'hard-link to');
    this.beneath(oldPath, oldFlags.symlinkFollow === true, WRITE, (from) =>
      dest.beneath(newPath, false, WRITE, (to) => {
        if (from.mustBeDir || to.mustBeDir) throw 'not-directory';
        this.#refuseMovingLink(from, newPath, 'hard-link');
        linkSync(at(from.dir, from.name), at(to.dir, to.name));
      }),
    );
  }

  readlinkAt(path: string): string {
    this.ctx.needRead(this.grant, this.#lexical(path), 'read link');
    return this.beneath(path, false, READ, (r) => readlinkSync(at(r.dir, r.name)));
  }

  removeDirectoryAt(path: string): void {
    this.ctx.needWrite(this.grant, this.#lexical(path), 'remove directory');
    this.beneath(path, false, WRITE, (r) => rmdirSync(at(r.dir, r.name)));
  }

  renameAt(oldPath: string, dest: DirNode, newPath: string): void {
    this.ctx.needWrite(this.grant, this.#lexical(oldPath), 'rename');
    dest.ctx.needWrite(dest.grant, dest.#lexical(newPath), 'rename to');
    this.beneath(oldPath, false, WRITE, (from) =>
      dest.beneath(newPath, false, WRITE, (to) => {
        if (from.mustBeDir && !lstatSync(at(from.dir, from.name)).isDirectory()) throw 'not-directory';
        this.#refuseMovingLink(from, newPath, 'rename');
        renameSync(at(from.dir, from.name), at(to.dir, to.name));
      }),
    );
  }

  /**
   * A symlink the guest gives a new place (rename, hard link) is as good as one it made: one that another program
   * left with an absolute or `..` target could point out of the grant from there, so it stays where it is.
   */
  #refuseMovingLink(from: Resolved, newPath: string, op: string): void {
    const target = readlinkOrUndefined(at(from.dir, from.name));
    if (target === undefined) return;
    const problem = guestLinkTargetProblem(target);
    if (!problem) return;
    const w = this.ctx.lexical(from.dir, from.name);
    this.ctx.deny('not-permitted', w, `${op} of symlink ${w} -> ${target} (to ${newPath}) refused: ${problem}`);
  }

  symlinkAt(target: string, path: string): void {
    const where = this.#lexical(path);
    this.ctx.needWrite(this.grant, where, 'create symlink');
    const problem = guestLinkTargetProblem(target);
    if (problem) {
      const w = where();
      this.ctx.deny('not-permitted', w, `symlink ${w} -> ${target} refused: ${problem}`);
    }
    this.beneath(path, false, WRITE, (r) => {
      if (r.mustBeDir) {
        const st = lstatOrUndefined(at(r.dir, r.name));
        throw st === undefined ? 'no-entry' : st.isDirectory() ? 'exist' : 'not-directory';
      }
      symlinkSync(target, at(r.dir, r.name));
    });
  }

  unlinkFileAt(path: string): void {
    this.ctx.needWrite(this.grant, this.#lexical(path), 'delete');
    this.beneath(path, false, WRITE, (r) => {
      if (r.mustBeDir) {
        const st = lstatOrUndefined(at(r.dir, r.name));
        throw st === undefined ? 'no-entry' : st.isDirectory() ? 'is-directory' : 'not-directory';
      }
      unlinkSync(at(r.dir, r.name));
    });
  }

  isSameObject(other: DirNode | FileNode): boolean {
    const a = fstatSync(this.live(), { bigint: true });
    const b = fstatSync(other.live(), { bigint: true });
    return a.dev === b.dev && a.ino === b.ino;
  }

  getFlags(): DescriptorFlags {
    return this.#fd === undefined ? { read: this.grant.read, mutateDirectory: this.grant.write } : { ...this.#flags };
  }

  getType(): string {
    this.live();
    return 'directory';
  }

  /** fsync needs a readable fd; O_PATH handles are not, so sync a fresh one opened through the magic link. */
  sync(data = false): void {
    const fd = openSync(at(this.live()), constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      (data ? fdatasyncSync : fsyncSync)(fd);
    } catch (e) {
      if ((e as { code?: string }).code !== 'EPERM' && (e as { code?: string }).code !== 'EINVAL') throw e;
    } finally {
      closeSync(fd);
    }
  }

  dispose(): void {
    if (this.#fd !== undefined) this.ctx.untrack(this, this.ctx.closer(this.#fd));
  }
}
