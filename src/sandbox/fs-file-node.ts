// A guest file descriptor backed by the host fd we opened beneath its directory: data methods act on that fd,
// streams are the shim's, served from the same object through /proc/self/fd.
import { fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, readSync, utimesSync, writeSync } from 'node:fs';
import { at, currentPath } from './beneath.js';
import type { FsContext, DescriptorFlags, FsGrant } from './fs-context.js';
import { metadataHashOf, lookupType, timestampSeconds, toDescriptorStat, type DescriptorStat, type NewTimestamp } from './fs-stat.js';
import { FileStreams } from './fs-streams.js';

/** Largest single `read`; WASI allows short reads and guests loop, a 2^64-byte request must not allocate. */
export const MAX_READ_BYTES = 4 << 20;
const ADVICE = new Set(['normal', 'sequential', 'random', 'will-need', 'dont-need', 'no-reuse']);

export class FileNode {
  readonly ctx: FsContext;
  readonly grant: FsGrant;
  readonly #fd: number;
  readonly #flags: DescriptorFlags;
  readonly #streams: FileStreams | undefined;

  constructor(ctx: FsContext, grant: FsGrant, fd: number, flags: DescriptorFlags) {
    this.ctx = ctx;
    this.grant = grant;
    this.#fd = fd;
    this.#flags = flags;
    const mode = flags.read && flags.write ? 'read-write' : flags.write ? 'write' : flags.read ? 'read' : undefined;
    this.#streams = mode && new FileStreams(fd, mode);
    const streams = this.#streams;
    ctx.hold(fd);
    ctx.track(this, () => {
      streams?.close();
      ctx.closer(fd)();
    });
  }

  /** The fd, after checking that the file is inside its grant right now. */
  live(): number {
    this.ctx.checkInside(this.grant, this.#fd);
    return this.#fd;
  }

  #path(): () => string {
    return () => currentPath(this.#fd).path;
  }

  #readable(): number {
    const fd = this.live();
    this.ctx.needRead(this.grant, this.#path(), 'read');
    if (!this.#flags.read) throw 'bad-descriptor';
    return fd;
  }

  #writable(op: string): number {
    const fd = this.live();
    this.ctx.needWrite(this.grant, this.#path(), op);
    if (!this.#flags.write) throw 'bad-descriptor';
    return fd;
  }

  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    const fd = this.#readable();
    const want = length > BigInt(MAX_READ_BYTES) ? MAX_READ_BYTES : Number(length);
    const buf = new Uint8Array(want);
    const got = readSync(fd, buf, 0, want, offset);
    return [buf.subarray(0, got), got === 0];
  }

  write(buffer: Uint8Array, offset: bigint): bigint {
    const fd = this.#writable('write');
    return BigInt(writeSync(fd, buffer, 0, buffer.byteLength, Number(offset)));
  }

  readViaStream(offset: bigint): object {
    this.#readable();
    return this.#streams!.input(offset);
  }

  writeViaStream(offset: bigint): object {
    this.#writable('write');
    return this.#streams!.output(offset);
  }

  appendViaStream(): object {
    const fd = this.#writable('append to');
    return this.#streams!.output(fstatSync(fd, { bigint: true }).size);
  }

  setSize(size: bigint): void {
    ftruncateSync(this.#writable('resize'), Number(size));
  }

  setTimes(atime: NewTimestamp, mtime: NewTimestamp): void {
    const fd = this.live();
    this.ctx.needWrite(this.grant, this.#path(), 'set times of');
    const st = fstatSync(fd, { bigint: true });
    utimesSync(at(fd), timestampSeconds(atime, st.atimeNs), timestampSeconds(mtime, st.mtimeNs));
  }

  stat(): DescriptorStat {
    return toDescriptorStat(fstatSync(this.live(), { bigint: true }));
  }

  metadataHash(): { upper: bigint; lower: bigint } {
    return metadataHashOf(fstatSync(this.live(), { bigint: true }));
  }

  getType(): string {
    return lookupType(fstatSync(this.live()));
  }

  getFlags(): DescriptorFlags {
    return { ...this.#flags };
  }

  advise(_offset: bigint, _length: bigint, advice: string): void {
    this.live();
    // Advice is only a hint; the shim forwards it to a native addon, we accept and ignore it.
    if (!ADVICE.has(advice)) throw 'invalid';
  }

  sync(data = false): void {
    try {
      (data ? fdatasyncSync : fsyncSync)(this.live());
    } catch (e) {
      if ((e as { code?: string }).code !== 'EPERM') throw e;
    }
  }

  isSameObject(other: { live(): number }): boolean {
    const a = fstatSync(this.live(), { bigint: true });
    const b = fstatSync(other.live(), { bigint: true });
    return a.dev === b.dev && a.ino === b.ino;
  }

  dispose(): void {
    const streams = this.#streams;
    const fd = this.#fd;
    this.ctx.untrack(this, () => {
      streams?.close();
      this.ctx.closer(fd)();
    });
  }
}
