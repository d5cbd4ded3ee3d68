// Transpiles component bytes once per sha256 digest into `<cacheDir>/<hex>/`, written atomically
// (temp dir + rename) so a killed process never leaves a half-written entry behind. The transpile itself
// runs in a short-lived child process, so its memory is returned to the system when it ends.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import { sha256Digest } from '../oci/digest.js';
import { ENTRY_FILE, type TranspiledFiles } from './transpile-files.js';
import type { TranspileReply } from './transpile-child.js';
import { childEntryArgs } from './worker-entry.js';

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

  constructor(private readonly cacheDir: string) {}

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

  /** Returns the transpiled form of `bytes`, transpiling only when no complete entry exists. */
  ensure(digest: string, bytes: Uint8Array): Promise<TranspiledComponent> {
    const hex = digestHex(digest);
    const pending = this.inflight.get(hex);
    if (pending) return pending;
    const p = this.build(hex, bytes).finally(() => this.inflight.delete(hex));
    this.inflight.set(hex, p);
    return p;
  }

  private async build(hex: string, bytes: Uint8Array): Promise<TranspiledComponent> {
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
      const { coreModules, imports, sizes } = await transpileInChild(bytes, tmp).catch((e: unknown) => {
        throw new WassetteError(ErrorCode.InvalidComponent, `cannot transpile component sha256:${hex}: ${errorMessage(e)}`, { cause: e });
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

/** Most of a transpile child's output kept (its reply is a few hundred bytes; stderr is for the error message). */
const MAX_OUTPUT = 64 * 1024;

/** Runs transpile-child.ts on `bytes` (piped to its stdin), writing into `dir`. */
function transpileInChild(bytes: Uint8Array, dir: string): Promise<TranspiledFiles> {
  // Nothing of the server's environment is needed to transpile.
  const child = spawn(process.execPath, [...childEntryArgs(import.meta.url, 'transpile-child'), dir], { env: {}, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    if (stdout.length < MAX_OUTPUT) stdout += t;
  });
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    if (stderr.length < MAX_OUTPUT) stderr += t;
  });
  // A child that dies early closes stdin under us (EPIPE): its exit reports the failure.
  child.stdin.on('error', () => undefined);
  child.stdin.end(bytes);
  return new Promise<TranspiledFiles>((resolve, reject) => {
    child.once('error', (e) => reject(new Error(`cannot start the transpile process: ${e.message}`)));
    child.once('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let reply: TranspileReply | undefined;
      try {
        reply = JSON.parse(line) as TranspileReply;
      } catch {
        reply = undefined;
      }
      if (reply?.ok) resolve({ coreModules: reply.coreModules, imports: reply.imports, sizes: reply.sizes });
      else if (reply) reject(new Error(reply.message));
      else
        reject(
          new Error(`the transpile process ended (${signal ?? `exit code ${code}`}) without a result${stderr ? `: ${stderr.trim().slice(0, 2000)}` : ''}`),
        );
    });
  });
}
