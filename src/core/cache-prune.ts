// Cache pruning: deletes cached blobs and transpiled code that no recorded component needs to load again offline.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../oci/blob-store.js';
import { isSha256Digest } from '../oci/digest.js';
import { parseManifest } from '../oci/manifest.js';
import { parseReference } from '../oci/reference.js';

export interface PruneReport {
  blobs: { removed: number; freedBytes: number; kept: number };
  transpiled: { removed: number; freedBytes: number; kept: number };
}

type Recorded = ReadonlyArray<{ source: string; digest: string }>;

/** Prunes the blob store and the transpile cache directory down to what `records` need. */
export async function pruneCaches(blobs: BlobStore, transpiledDir: string, records: Recorded): Promise<PruneReport> {
  const keep = await keptBlobs(blobs, records);
  const removed = await blobs.prune(keep);
  const transpiled = await pruneTranspiled(transpiledDir, new Set(records.map((r) => r.digest.slice('sha256:'.length))));
  return { blobs: { ...removed, kept: keep.size }, transpiled };
}

/**
 * Everything a stored component needs to load again offline: its bytes, and for an OCI source the
 * pinned manifest (or index and child manifest) with its policy and description layers.
 */
export async function keptBlobs(blobs: BlobStore, records: ReadonlyArray<{ source: string; digest: string }>): Promise<Set<string>> {
  const keep = new Set<string>();
  for (const r of records) {
    keep.add(r.digest);
    if (!r.source.startsWith('oci://')) continue;
    let manifestDigest: string | undefined;
    try {
      manifestDigest = parseReference(r.source).digest;
    } catch {
      continue;
    }
    const pending = manifestDigest ? [manifestDigest] : [];
    for (let depth = 0; pending.length > 0 && depth < 4; depth++) {
      const d = pending.shift()!;
      keep.add(d);
      const bytes = await blobs.get(d);
      if (!bytes) continue;
      try {
        const m = parseManifest(bytes, undefined, d);
        if (m.kind === 'index') for (const e of m.index.manifests) pending.push(e.digest);
        else for (const l of m.manifest.layers) keep.add(l.digest);
      } catch {
        // Not a manifest we understand: keep just the blob itself.
      }
    }
  }
  return new Set([...keep].filter(isSha256Digest));
}

/** Removes `<dir>/<hex>` entries whose digest no component uses (in-progress `.tmp-*` entries are left alone). */
async function pruneTranspiled(dir: string, keepHex: Set<string>): Promise<{ removed: number; freedBytes: number; kept: number }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return { removed: 0, freedBytes: 0, kept: 0 };
  }
  let removed = 0;
  let freedBytes = 0;
  let kept = 0;
  for (const name of names) {
    if (!/^[a-f0-9]{64}$/.test(name)) continue;
    if (keepHex.has(name)) {
      kept++;
      continue;
    }
    freedBytes += await sizeOf(join(dir, name));
    await rm(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return { removed, freedBytes, kept };
}

async function sizeOf(path: string): Promise<number> {
  const s = await stat(path).catch(() => undefined);
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const name of await readdir(path).catch(() => [] as string[])) total += await sizeOf(join(path, name));
  return total;
}
