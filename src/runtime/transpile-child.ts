// Child-process entry that transpiles components sent over IPC (`{id, source, dir}` -> one reply each) until
// its parent disconnects. Transpiling a 12 MB component takes 130-155 MiB that a thread of the server would
// keep (freed heap stays in its malloc arenas); a process that exits when idle returns it all.
import { readFile, stat } from 'node:fs/promises';
import { errorMessage } from '../errors.js';
import { sha256Digest } from '../oci/digest.js';
import { transpileInto, type TranspiledFiles } from './transpile-files.js';

/**
 * The component to transpile: its bytes, or a file that holds them (the blob cache) with their digest and size,
 * read here so the server neither copies them into an IPC message nor keeps the serializer's buffers. The size is
 * checked before reading, so a file grown meanwhile is refused without being read into memory.
 */
export type TranspileSource = { bytes: Uint8Array } | { file: string; digest: string; size: number };

export interface TranspileJob {
  id: number;
  source: TranspileSource;
  dir: string;
}

/** `sourceUnusable`: the file was missing or held other bytes than the digest names (nothing was transpiled). */
export type TranspileReply = { id: number } & (({ ok: true } & TranspiledFiles) | { ok: false; message: string; sourceUnusable?: true });

const send = (reply: TranspileReply): void => {
  process.send?.(reply);
};

class SourceUnusable extends Error {}

async function bytesOf(source: TranspileSource): Promise<Uint8Array> {
  if ('bytes' in source) return source.bytes;
  const unreadable = (e: unknown): never => {
    throw new SourceUnusable(`cannot read ${source.file}: ${errorMessage(e)}`);
  };
  const { size } = await stat(source.file).catch(unreadable);
  if (size !== source.size) throw new SourceUnusable(`${source.file} holds ${size} bytes, not ${source.size}`);
  const bytes = await readFile(source.file).catch(unreadable);
  const actual = sha256Digest(bytes);
  if (actual !== source.digest) throw new SourceUnusable(`${source.file} holds ${actual}, not ${source.digest}`);
  return bytes;
}

// Jobs arrive one at a time (the parent waits for each reply), so no queue is needed here.
process.on('message', (job: TranspileJob) => {
  bytesOf(job.source)
    .then((bytes) => transpileInto(bytes, job.dir))
    .then(
      (files) => send({ id: job.id, ok: true, ...files }),
      (e: unknown) => send({ id: job.id, ok: false, message: errorMessage(e), ...(e instanceof SourceUnusable ? { sourceUnusable: true as const } : {}) }),
    );
});
// The parent went away (closed, crashed, killed): nothing is left to do.
process.on('disconnect', () => process.exit(0));
