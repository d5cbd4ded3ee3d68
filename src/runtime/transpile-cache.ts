// Transpiles component bytes once per sha256 digest into `<cacheDir>/<hex>/`, written atomically
// (temp dir + rename) so a killed process never leaves a half-written entry behind. The transpile itself
// runs in a child process that exits when idle (transpile-service.ts), so its memory is returned to the system.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, WassetteError, errorMessage, isWassetteError } from '../errors.js';
import { sha256Digest } from '../oci/digest.js';
import { ENTRY_FILE } from './transpile-files.js';
import { TranspileService, TranspileSourceUnusable } from './transpile-service.js';

export { ENTRY_FILE };
const MANIFEST_FILE = 'manifest.json';
/** Bumped when the transpile options change, so old entries are not reused. */
const CACHE_FORMAT = 4;

export interface TranspiledComponent {
  digest: string;
  dir: string;
  /** Absolute path of the generated ES module exporting `instantiate(getCoreModule, imports)`. */
  entry: string;
  /** Core module file names (relative to `dir`) that `getCoreModule` is asked for. */
  coreModules: string[];
  /** Import names the generated code reads from the import object (e.g. `wasi:cli/environment`). */
  imports: string[];
}

interface Manifest {
  format: number;
  coreModules: string[];
  imports: string[];
  /** Byte size of every file, checked on lookup: a truncated or deleted file (power cut, disk full, a user) means rebuild. */
  sizes: Record<string, number>;
}

async function filesIntact(dir: string, sizes: Record<string, number>, required: string[]): Promise<boolean> {
  if (!required.every((f) => f in sizes)) return false;
  for (const [file, size] of Object.entries(sizes)) {
    const st = await stat(join(dir, file)).catch(() => undefined);
    if (!st?.isFile() || st.size !== size) return false;
  }
  return true;
}

/** Normalizes `sha256:<hex>` or bare hex into lowercase hex; throws on anything else. */
export function digestHex(digest: string): string {
  const m = /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(digest);
  if (!m) throw new WassetteError(ErrorCode.InvalidArgument, `"${digest}" is not a sha256 digest (expected sha256:<64 hex>)`);
  return m[1]!.toLowerCase();
}

export function sha256Hex(bytes: Uint8Array): string {
  return sha256Digest(bytes).slice('sha256:'.length);
}

export class TranspileCache {
  private readonly inflight = new Map<string, Promise<TranspiledComponent>>();
  private readonly transpiler: TranspileService;

  constructor(
    private readonly cacheDir: string,
    opts: { transpileIdleMs?: number; transpileTimeoutMs?: number } = {},
  ) {
    this.transpiler = new TranspileService(opts.transpileIdleMs, opts.transpileTimeoutMs);
  }

  /** Ends the transpile process, if one is running; transpiles still waiting are refused. */
  close(): void {
    this.transpiler.close();
  }

  /** Whether a transpile process is running (for tests). */
  get transpiling(): boolean {
    return this.transpiler.running;
  }

  /** The cached entry for a digest, or undefined when it was never transpiled. */
  async lookup(digest: string): Promise<TranspiledComponent | undefined> {
    const hex = digestHex(digest);
    const dir = join(this.cacheDir, hex);
    try {
      const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
      if (manifest.format !== CACHE_FORMAT) return undefined;
      if (!(await filesIntact(dir, manifest.sizes, [ENTRY_FILE, ...manifest.coreModules]))) return undefined;
      return { digest: hex, dir, entry: join(dir, ENTRY_FILE), coreModules: manifest.coreModules, imports: manifest.imports };
    } catch {
      return undefined;
    }
  }

  /**
   * Returns the transpiled form of `bytes`, transpiling only when no complete entry exists. `file`, a file known
   * to hold the same bytes (the blob cache), is what the transpile process reads: the bytes are then not copied
   * into an IPC message, whose serializer buffers (twice the component's size) would stay in this process's
   * malloc heap. Should the file be gone or changed by then, the bytes are sent after all.
   */
  ensure(digest: string, bytes: Uint8Array, file?: string): Promise<TranspiledComponent> {
    const hex = digestHex(digest);
    const pending = this.inflight.get(hex);
    if (pending) return pending;
    const p = this.build(hex, bytes, file).finally(() => this.inflight.delete(hex));
    this.inflight.set(hex, p);
    return p;
  }

  private async build(hex: string, bytes: Uint8Array, file: string | undefined): Promise<TranspiledComponent> {
    const cached = await this.lookup(hex);
    if (cached) return cached;
    const actual = sha256Hex(bytes);
    if (actual !== hex) {
      throw new WassetteError(ErrorCode.DigestMismatch, `component bytes hash to sha256:${actual}, not the expected sha256:${hex}`);
    }
    const tmp = join(this.cacheDir, `.tmp-${hex.slice(0, 12)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    const final = join(this.cacheDir, hex);
    try {
      await mkdir(tmp, { recursive: true });
      const transpiled =
        file === undefined
          ? this.transpiler.transpile(bytes, tmp)
          : this.transpiler.transpile({ file, digest: `sha256:${hex}`, size: bytes.length }, tmp).catch((e: unknown) => {
              if (e instanceof TranspileSourceUnusable) return this.transpiler.transpile(bytes, tmp);
              throw e;
            });
      const { coreModules, imports, sizes } = await transpiled.catch((e: unknown) => {
        // A transpile that ran out of time keeps its code: the component may be fine, the limit or the machine not.
        const code = isWassetteError(e, ErrorCode.Timeout) ? ErrorCode.Timeout : ErrorCode.InvalidComponent;
        throw new WassetteError(code, `cannot transpile component sha256:${hex}: ${errorMessage(e)}`, {
          cause: e,
          ...(isWassetteError(e) && e.data ? { data: e.data } : {}),
        });
      });
      const manifest: Manifest = { format: CACHE_FORMAT, coreModules, imports, sizes };
      await writeFile(join(tmp, MANIFEST_FILE), JSON.stringify(manifest));
      await rename(tmp, final).catch(async (e: NodeJS.ErrnoException) => {
        // Another process finished the same digest first: its entry is just as good (if it is whole).
        if ((e.code === 'ENOTEMPTY' || e.code === 'EEXIST') && (await this.lookup(hex))) return;
        if (e.code === 'ENOTEMPTY' || e.code === 'EEXIST') {
          await rm(final, { recursive: true, force: true });
          await rename(tmp, final);
          return;
        }
        throw e;
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    const entry = await this.lookup(hex);
    if (!entry) throw new WassetteError(ErrorCode.Internal, `transpile cache entry ${final} is unreadable after writing it`);
    return entry;
  }
}
