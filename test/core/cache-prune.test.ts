import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keptBlobs } from '../../src/core/cache-prune.js';
import { BlobStore } from '../../src/oci/blob-store.js';
import { sha256Digest } from '../../src/oci/digest.js';
import { encodeJson } from '../../src/oci/manifest.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function store(): Promise<BlobStore> {
  const d = mkdtempSync(join(tmpdir(), 'wassette-cache-test-'));
  dirs.push(d);
  return BlobStore.forHome(d);
}

const blob = (s: string) => new TextEncoder().encode(s);
const desc = (bytes: Uint8Array, mediaType: string) => ({ mediaType, digest: sha256Digest(bytes), size: bytes.byteLength });

describe('keptBlobs', () => {
  it('keeps the component, its manifest and side layers, following an index', async () => {
    const s = await store();
    const wasm = blob('\0asm component');
    const policy = blob('version: "1.0"');
    const manifest = encodeJson({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: desc(blob('{}'), 'application/vnd.wasm.config.v0+json'),
      layers: [desc(wasm, 'application/wasm'), desc(policy, 'application/vnd.wasm.policy.v1+yaml')],
    });
    const index = encodeJson({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [desc(manifest, 'application/vnd.oci.image.manifest.v1+json')],
    });
    for (const b of [wasm, policy, manifest, index]) await s.put(b);
    const fileDigest = sha256Digest(blob('file component'));
    const keep = await keptBlobs(s, [
      { source: `oci://127.0.0.1:5000/a/b:1@${sha256Digest(index)}`, digest: sha256Digest(wasm) },
      { source: '/tmp/x.wasm', digest: fileDigest },
    ]);
    expect(keep).toEqual(new Set([sha256Digest(wasm), sha256Digest(policy), sha256Digest(manifest), sha256Digest(index), fileDigest]));
  });

  it('keeps only the component bytes when the manifest is not cached or the source is unpinned', async () => {
    const s = await store();
    const d = sha256Digest(blob('c'));
    const missing = sha256Digest(blob('m'));
    expect(await keptBlobs(s, [{ source: `oci://h/r@${missing}`, digest: d }])).toEqual(new Set([d, missing]));
    expect(await keptBlobs(s, [{ source: 'oci://h/r:1', digest: d }])).toEqual(new Set([d]));
  });
});
