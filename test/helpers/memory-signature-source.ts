// A registry in memory with enough of the distribution API for the signature unit tests.
import { ErrorCode, WassetteError } from '../../src/errors.js';
import { sha256Digest } from '../../src/oci/digest.js';
import type { Descriptor, FetchedManifest, ImageManifest, SignatureSource } from '../../src/oci/signature-source.js';

export class MemorySignatureSource implements SignatureSource {
  readonly blobs = new Map<string, Uint8Array>();
  readonly manifests = new Map<string, { bytes: Uint8Array; mediaType: string }>();
  readonly tags = new Map<string, string>();

  async getManifest(repo: string, ref: string): Promise<FetchedManifest | null> {
    const digest = ref.startsWith('sha256:') ? ref : this.tags.get(`${repo}:${ref}`);
    const m = digest === undefined ? undefined : this.manifests.get(`${repo}@${digest}`);
    if (!m || digest === undefined) return null;
    return { bytes: m.bytes, digest, mediaType: m.mediaType };
  }

  async getBlob(repo: string, desc: Descriptor): Promise<Uint8Array> {
    const b = this.blobs.get(`${repo}@${desc.digest}`);
    if (!b) throw new WassetteError(ErrorCode.NotFound, `blob ${desc.digest} not found in ${repo}`);
    return b;
  }

  async putBlob(repo: string, bytes: Uint8Array, mediaType: string): Promise<Descriptor> {
    const digest = sha256Digest(bytes);
    this.blobs.set(`${repo}@${digest}`, bytes);
    return { mediaType, digest, size: bytes.byteLength };
  }

  async putManifest(repo: string, ref: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const digest = sha256Digest(bytes);
    if (ref.startsWith('sha256:') && ref !== digest) {
      throw new WassetteError(ErrorCode.DigestMismatch, `manifest digest ${digest} does not match ${ref}`);
    }
    this.manifests.set(`${repo}@${digest}`, { bytes, mediaType });
    if (!ref.startsWith('sha256:')) this.tags.set(`${repo}:${ref}`, digest);
    return digest;
  }

  async referrers(repo: string, digest: string, artifactType?: string): Promise<Descriptor[]> {
    const out: Descriptor[] = [];
    for (const [key, m] of this.manifests) {
      if (!key.startsWith(`${repo}@`)) continue;
      let doc: Partial<ImageManifest>;
      try {
        doc = JSON.parse(Buffer.from(m.bytes).toString('utf8')) as Partial<ImageManifest>;
      } catch {
        continue;
      }
      if (doc.subject?.digest !== digest) continue;
      const type = doc.artifactType ?? doc.config?.mediaType;
      if (artifactType !== undefined && type !== artifactType) continue;
      out.push({
        mediaType: m.mediaType,
        digest: key.slice(repo.length + 1),
        size: m.bytes.byteLength,
        ...(type !== undefined ? { artifactType: type } : {}),
        ...(doc.annotations ? { annotations: doc.annotations } : {}),
      });
    }
    return out;
  }
}
