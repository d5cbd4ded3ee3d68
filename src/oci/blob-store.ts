// Content-addressed blob cache `<home>/blobs/sha256/<hex>` plus an index of which tag resolved to which manifest.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, WassetteError } from '../errors.js';
import { isSha256Digest, sha256Digest } from './digest.js';

export interface RefEntry {
  manifestDigest: string;
  /** ISO time the registry last confirmed this mapping. */
  resolvedAt: string;
}

/**
 * Blobs are written to a temp file, fsynced, and renamed into place only after their digest checks
 * out, so a reader never sees a partial or wrong blob and a crash leaves at most a `tmp/` file.
 * Reads re-hash the file: a corrupted cache entry is deleted and reported as absent.
 */
export class BlobStore {
  readonly root: string;

  /** `dir` is the blob directory itself, normally `<WASSETTE_HOME>/blobs`. */
  constructor(dir: string) {
    this.root = dir;
  }

  static forHome(home: string): BlobStore {
    return new BlobStore(join(home, 'blobs'));
  }

  path(digest: string): string {
    if (!isSha256Digest(digest)) throw new WassetteError(ErrorCode.InvalidArgument, `not a sha256 digest: "${digest}"`);
    return join(this.root, 'sha256', digest.slice('sha256:'.length));
  }

  async has(digest: string): Promise<boolean> {
    try {
      return (await stat(this.path(digest))).isFile();
    } catch {
      return false;
    }
  }

  /** The blob's bytes, verified; undefined when absent (or found corrupt and removed). */
  async get(digest: string): Promise<Uint8Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path(digest));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new WassetteError(ErrorCode.Store, `cannot read cached blob ${digest}: ${(e as Error).message}`, { cause: e });
    }
    if (sha256Digest(bytes) !== digest) {
      await rm(this.path(digest), { force: true });
      return undefined;
    }
    return bytes;
  }

  /** Stores bytes under their digest; when `expected` is given a mismatch is refused and nothing is written. */
  async put(bytes: Uint8Array, expected?: string): Promise<string> {
    const digest = sha256Digest(bytes);
    if (expected !== undefined && expected !== digest) {
      throw new WassetteError(ErrorCode.DigestMismatch, `refusing to cache blob: expected ${expected} but content hashes to ${digest}`, {
        data: { expected, actual: digest },
      });
    }
    const final = this.path(digest);
    if (await this.has(digest)) return digest;
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(join(this.root, 'sha256'), { recursive: true });
    const tmp = join(tmpDir, `${digest.slice(7, 19)}-${randomBytes(6).toString('hex')}`);
    await writeDurably(tmp, bytes);
    await rename(tmp, final);
    return digest;
  }

  /** Deletes every blob not in `keep`; returns how many went and how many bytes that freed. */
  async prune(keep: Iterable<string>): Promise<{ removed: number; freedBytes: number }> {
    const keepHex = new Set([...keep].filter(isSha256Digest).map((d) => d.slice(7)));
    let removed = 0;
    let freedBytes = 0;
    let names: string[];
    try {
      names = await readdir(join(this.root, 'sha256'));
    } catch {
      return { removed, freedBytes };
    }
    for (const name of names) {
      if (keepHex.has(name)) continue;
      const p = join(this.root, 'sha256', name);
      const size = (await stat(p).catch(() => undefined))?.size ?? 0;
      await rm(p, { force: true });
      removed++;
      freedBytes += size;
    }
    const refs = await this.readRefs();
    const kept = Object.fromEntries(Object.entries(refs).filter(([, e]) => keepHex.has(e.manifestDigest.slice(7))));
    await this.writeRefs(kept);
    await rm(join(this.root, 'tmp'), { recursive: true, force: true });
    return { removed, freedBytes };
  }

  /** The manifest digest a tag key (`host:port/repo:tag`) last resolved to. */
  async resolveRef(key: string): Promise<RefEntry | undefined> {
    return (await this.readRefs())[key];
  }

  async recordRef(key: string, manifestDigest: string, now: Date = new Date()): Promise<void> {
    const refs = await this.readRefs();
    refs[key] = { manifestDigest, resolvedAt: now.toISOString() };
    await this.writeRefs(refs);
  }

  private async readRefs(): Promise<Record<string, RefEntry>> {
    try {
      const doc = JSON.parse(await readFile(join(this.root, 'refs.json'), 'utf8')) as unknown;
      return typeof doc === 'object' && doc !== null ? (doc as Record<string, RefEntry>) : {};
    } catch {
      // Missing or unreadable index: the cache still works by digest, tags just re-resolve.
      return {};
    }
  }

  private async writeRefs(refs: Record<string, RefEntry>): Promise<void> {
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    const tmp = join(this.root, 'tmp', `refs-${randomBytes(6).toString('hex')}.json`);
    await writeDurably(tmp, Buffer.from(JSON.stringify(refs, null, 1)));
    await rename(tmp, join(this.root, 'refs.json'));
  }
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(path, 'w', 0o644);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
