// File streams for our descriptors: preview2-shim's own wasi:io streams (jco checks instanceof against its classes),
// served by the shim's I/O worker from `/proc/self/fd/<our fd>`, a magic link to the very object we opened.
import { constants, fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { io } from '@bytecodealliance/preview2-shim';
import { at } from './beneath.js';

type IoCall = (call: number, id: number | null, payload?: unknown) => unknown;
interface WorkerIo {
  ioCall: IoCall;
  inputStreamCreate(type: number, id: unknown): object;
  outputStreamCreate(type: number, id: unknown): object;
  streams: { InputStream: unknown; OutputStream: unknown };
}
interface Calls {
  FILE: number;
  FILESYSTEM_DESCRIPTOR_OPEN: number;
  FILESYSTEM_DESCRIPTOR_CLOSE: number;
  FILESYSTEM_DESCRIPTOR_METADATA_HASH: number;
  INPUT_STREAM_CREATE: number;
  OUTPUT_STREAM_CREATE: number;
}

// dist/io/worker-io.js is not in the package's exports map; load it by URL next to the exported `io` entry so it is
// the same module instance (and the same I/O worker) the shim's streams use.
const ioEntry = pathToFileURL(createRequire(import.meta.url).resolve('@bytecodealliance/preview2-shim/io'));
const workerIo = (await import(new URL('../io/worker-io.js', ioEntry).href)) as WorkerIo;
const calls = (await import(new URL('../io/calls.js', ioEntry).href)) as Calls;
const shimStreams = (io as unknown as { streams: WorkerIo['streams'] }).streams;
/** False if the package layout changed under us: then file streams are refused rather than handed out unchecked. */
const sameModule = workerIo.streams.InputStream === shimStreams.InputStream && workerIo.streams.OutputStream === shimStreams.OutputStream;

export type StreamMode = 'read' | 'write' | 'read-write';
const MODE_FLAGS: Record<StreamMode, number> = { read: constants.O_RDONLY, write: constants.O_WRONLY, 'read-write': constants.O_RDWR };

/** The I/O worker's handle on one of our file fds, opened on first use and shared by that descriptor's streams. */
export class FileStreams {
  readonly #fd: number;
  readonly #mode: StreamMode;
  #resource: number | undefined;

  constructor(fd: number, mode: StreamMode) {
    this.#fd = fd;
    this.#mode = mode;
  }

  #open(): number {
    if (this.#resource !== undefined) return this.#resource;
    if (!sameModule) throw 'unsupported';
    // No O_CREAT/O_TRUNC/O_NOFOLLOW: the object exists and is ours; the magic link cannot be redirected.
    const { id } = workerIo.ioCall(calls.FILESYSTEM_DESCRIPTOR_OPEN, null, { path: at(this.#fd), flags: MODE_FLAGS[this.#mode] }) as { id: number };
    try {
      const theirs = workerIo.ioCall(calls.FILESYSTEM_DESCRIPTOR_METADATA_HASH, id) as { lower: bigint };
      if (theirs.lower !== fstatSync(this.#fd, { bigint: true }).ino) throw 'io';
    } catch (e) {
      workerIo.ioCall(calls.FILESYSTEM_DESCRIPTOR_CLOSE, id);
      throw e;
    }
    this.#resource = id;
    return id;
  }

  input(offset: bigint): object {
    const descriptorId = this.#open();
    return workerIo.inputStreamCreate(calls.FILE, workerIo.ioCall(calls.INPUT_STREAM_CREATE | calls.FILE, null, { descriptorId, offset }));
  }

  output(offset: bigint): object {
    const descriptorId = this.#open();
    return workerIo.outputStreamCreate(calls.FILE, workerIo.ioCall(calls.OUTPUT_STREAM_CREATE | calls.FILE, null, { descriptorId, offset }));
  }

  /** Drops our reference; open streams keep the I/O worker's handle until they are disposed. */
  close(): void {
    if (this.#resource === undefined) return;
    const id = this.#resource;
    this.#resource = undefined;
    workerIo.ioCall(calls.FILESYSTEM_DESCRIPTOR_CLOSE, id);
  }
}
