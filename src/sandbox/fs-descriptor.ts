// Our wasi:filesystem/types resources. jco checks `instanceof` against the classes in the import object, so these
// replace preview2-shim's: a Descriptor is a thin facade over a directory, file or virtual-root node.
import type { Dir } from 'node:fs';
import { DirNode } from './fs-dir-node.js';
import { errnoCode, toWasiError } from './fs-errno.js';
import { FileNode } from './fs-file-node.js';
import { RootNode } from './fs-root-node.js';
import { lookupType, type DescriptorStat, type NewTimestamp } from './fs-stat.js';
import type { AccessList, DescriptorFlags, FsContext, OpenFlags, PathFlags } from './fs-context.js';

type Node = DirNode | FileNode | RootNode;
const symbolDispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');
const READ: AccessList = ['read'];
const WRITE: AccessList = ['read', 'write'];

/** Runs one method, turning host errors into WASI codes: a raw error would trap and poison the instance. */
function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toWasiError(e);
  }
}

/** The directory node and path beneath it that an operation on `node` with `path` acts on. */
function dirFor(node: Node, path: string, access: AccessList, isDir: boolean, op: string): [DirNode, string] | 'self' {
  if (node instanceof DirNode) return [node, path];
  if (node instanceof FileNode) throw 'not-directory';
  return node.route(path, access, isDir, op);
}

/** Like `dirFor`, for operations that cannot act on `/` itself. */
function dirOnly(node: Node, path: string, access: AccessList, isDir: boolean, op: string): [DirNode, string] {
  const r = dirFor(node, path, access, isDir, op);
  if (r === 'self') return (node as RootNode).refuse('.', access, true, op);
  return r;
}

export class DirectoryEntryStream {
  readonly #dir: Dir | undefined;
  readonly #ctx: FsContext | undefined;

  constructor(dir: Dir | undefined, ctx: FsContext | undefined) {
    this.#dir = dir;
    this.#ctx = ctx;
    if (dir) ctx?.track(this, () => dir.closeSync());
  }

  readDirectoryEntry(): { name: string; type: string } | undefined {
    return guarded(() => {
      const entry = this.#dir?.readSync();
      return entry ? { name: entry.name, type: lookupType(entry) } : undefined;
    });
  }

  [symbolDispose](): void {
    const dir = this.#dir;
    if (dir) this.#ctx?.untrack(this, () => dir.closeSync());
  }
}

export class Descriptor {
  readonly #node: Node;

  constructor(node: Node) {
    this.#node = node;
  }

  static nodeOf(d: unknown): Node {
    if (!(d instanceof Descriptor)) throw 'bad-descriptor';
    return d.#node;
  }

  #file(): FileNode {
    if (this.#node instanceof FileNode) return this.#node;
    throw 'is-directory';
  }

  readViaStream(offset: bigint): object {
    return guarded(() => this.#file().readViaStream(offset));
  }
  writeViaStream(offset: bigint): object {
    return guarded(() => this.#file().writeViaStream(offset));
  }
  appendViaStream(): object {
    return guarded(() => this.#file().appendViaStream());
  }
  advise(offset: bigint, length: bigint, advice: string): void {
    guarded(() => {
      if (!(this.#node instanceof FileNode)) throw 'bad-descriptor';
      this.#node.advise(offset, length, advice);
    });
  }
  syncData(): void {
    guarded(() => (this.#node instanceof RootNode ? undefined : this.#node.sync(true)));
  }
  sync(): void {
    guarded(() => (this.#node instanceof RootNode ? undefined : this.#node.sync()));
  }
  getFlags(): DescriptorFlags {
    return guarded(() => (this.#node instanceof RootNode ? { read: true } : this.#node.getFlags()));
  }
  getType(): string {
    return guarded(() => (this.#node instanceof RootNode ? 'directory' : this.#node.getType()));
  }
  setSize(size: bigint): void {
    guarded(() => this.#file().setSize(size));
  }
  setTimes(atime: NewTimestamp, mtime: NewTimestamp): void {
    guarded(() => {
      const n = this.#node;
      if (n instanceof RootNode) return n.refuse('.', WRITE, true, 'set times of');
      n.setTimes(atime, mtime);
    });
  }
  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    return guarded(() => this.#file().read(length, offset));
  }
  write(buffer: Uint8Array, offset: bigint): bigint {
    return guarded(() => this.#file().write(buffer, offset));
  }
  readDirectory(): DirectoryEntryStream {
    return guarded(() => {
      const n = this.#node;
      if (n instanceof FileNode) throw 'not-directory';
      // `/` lists nothing: only the granted directories exist for the guest, and it knows them as preopens.
      if (n instanceof RootNode) return new DirectoryEntryStream(undefined, undefined);
      return new DirectoryEntryStream(n.readDirectory(), n.ctx);
    });
  }
  stat(): DescriptorStat {
    return guarded(() => this.#node.stat());
  }
  statAt(flags: PathFlags, path: string): DescriptorStat {
    return guarded(() => {
      const r = dirFor(this.#node, path, READ, false, 'stat');
      return r === 'self' ? (this.#node as RootNode).stat() : r[0].statAt(flags, r[1]);
    });
  }
  metadataHash(): { upper: bigint; lower: bigint } {
    return guarded(() => this.#node.metadataHash());
  }
  metadataHashAt(flags: PathFlags, path: string): { upper: bigint; lower: bigint } {
    return guarded(() => {
      const r = dirFor(this.#node, path, READ, false, 'stat');
      return r === 'self' ? (this.#node as RootNode).metadataHash() : r[0].metadataHashAt(flags, r[1]);
    });
  }
  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): Descriptor {
    return guarded(() => {
      const writes = openFlags.create || openFlags.truncate || flags.write || flags.mutateDirectory;
      const r = dirFor(this.#node, path, writes ? WRITE : READ, openFlags.directory === true, 'open');
      if (r === 'self') {
        if (writes) return (this.#node as RootNode).refuse('.', WRITE, true, 'open for writing');
        return new Descriptor(this.#node);
      }
      return new Descriptor(r[0].openAt(pathFlags, r[1], openFlags, flags));
    });
  }
  createDirectoryAt(path: string): void {
    guarded(() => {
      const [d, p] = dirOnly(this.#node, path, WRITE, false, 'create directory');
      d.createDirectoryAt(p);
    });
  }
  setTimesAt(flags: PathFlags, path: string, atime: NewTimestamp, mtime: NewTimestamp): void {
    guarded(() => {
      const [d, p] = dirOnly(this.#node, path, WRITE, false, 'set times of');
      d.setTimesAt(flags, p, atime, mtime);
    });
  }
  linkAt(oldFlags: PathFlags, oldPath: string, newDescriptor: unknown, newPath: string): void {
    guarded(() => {
      const other = Descriptor.nodeOf(newDescriptor);
      const [a, pa] = dirOnly(this.#node, oldPath, WRITE, false, 'hard-link');
      const [b, pb] = dirOnly(other, newPath, WRITE, false, 'hard-link to');
      a.linkAt(oldFlags, pa, b, pb);
    });
  }
  readlinkAt(path: string): string {
    return guarded(() => {
      const r = dirFor(this.#node, path, READ, false, 'read link');
      if (r === 'self') throw 'invalid';
      return r[0].readlinkAt(r[1]);
    });
  }
  removeDirectoryAt(path: string): void {
    guarded(() => {
      const [d, p] = dirOnly(this.#node, path, WRITE, false, 'remove directory');
      d.removeDirectoryAt(p);
    });
  }
  renameAt(oldPath: string, newDescriptor: unknown, newPath: string): void {
    guarded(() => {
      const other = Descriptor.nodeOf(newDescriptor);
      const [a, pa] = dirOnly(this.#node, oldPath, WRITE, false, 'rename');
      const [b, pb] = dirOnly(other, newPath, WRITE, false, 'rename to');
      a.renameAt(pa, b, pb);
    });
  }
  symlinkAt(target: string, path: string): void {
    guarded(() => {
      const [d, p] = dirOnly(this.#node, path, WRITE, false, 'create symlink');
      d.symlinkAt(target, p);
    });
  }
  unlinkFileAt(path: string): void {
    guarded(() => {
      const [d, p] = dirOnly(this.#node, path, WRITE, false, 'delete');
      d.unlinkFileAt(p);
    });
  }
  isSameObject(other: unknown): boolean {
    return guarded(() => {
      const a = this.#node;
      const b = Descriptor.nodeOf(other);
      if (a instanceof RootNode || b instanceof RootNode) return a === b;
      return a.isSameObject(b);
    });
  }
  [symbolDispose](): void {
    if (!(this.#node instanceof RootNode)) this.#node.dispose();
  }
}

/** `wasi:filesystem/types.filesystem-error-code`: the code behind a stream's `last-operation-failed` error. */
export function filesystemErrorCode(err: unknown): string | undefined {
  const payload = (err as { payload?: unknown } | null)?.payload;
  return errnoCode(payload) ?? (typeof payload === 'string' ? payload : undefined);
}
