// The narrow registry surface signature code needs, an in-memory implementation, and shared OCI helpers.
import { createHash } from 'node:crypto';
import { ErrorCode, WassetteError, isWassetteError } from '../errors.js';
import type { RegistryClient } from './client.js';

/** An OCI content descriptor (the fields signature code reads and writes). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface FetchedManifest {
  bytes: Uint8Array;
  digest: string;
  mediaType: string;
}

/**
 * What signature discovery, verification and signing need from one registry. Repositories are
 * paths inside that registry (`team/tool`), never full references.
 */
export interface SignatureSource {
  /** The manifest under a tag or digest, or `null` when the registry has no such manifest. */
  getManifest(repo: string, ref: string): Promise<FetchedManifest | null>;
  getBlob(repo: string, desc: Descriptor): Promise<Uint8Array>;
  putBlob(repo: string, bytes: Uint8Array, mediaType: string): Promise<Descriptor>;
  /** Stores a manifest under `ref` (tag or digest); returns its digest. */
  putManifest(repo: string, ref: string, bytes: Uint8Array, mediaType: string): Promise<string>;
  /**
   * Manifests whose `subject` is `digest`, filtered by artifact type when given. Implementations
   * fall back to the referrers tag scheme (`sha256-<hex>` index) for registries without the API.
   */
  referrers(repo: string, digest: string, artifactType?: string): Promise<Descriptor[]>;
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
/** Signature documents are small; anything bigger is refused before it is downloaded. */
export const MAX_SIGNATURE_BLOB = 4 * 1024 * 1024;
/** Bounds the work an attacker-controlled referrers list can cause. */
export const MAX_SIGNATURES_PER_KIND = 16;

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function isSha256Digest(value: unknown): value is string {
  return typeof value === 'string' && /^sha256:[a-f0-9]{64}$/.test(value);
}

/** Fetches a small blob and checks its size and digest, whatever the source already checked. */
export async function fetchSmallBlob(source: SignatureSource, repo: string, desc: Descriptor): Promise<Uint8Array> {
  if (!isSha256Digest(desc.digest)) {
    throw new WassetteError(ErrorCode.SignatureInvalid, `signature blob descriptor has an unsupported digest "${String(desc.digest)}"`);
  }
  if (typeof desc.size === 'number' && desc.size > MAX_SIGNATURE_BLOB) {
    throw new WassetteError(ErrorCode.SizeLimit, `signature blob ${desc.digest} is ${desc.size} bytes (limit ${MAX_SIGNATURE_BLOB})`);
  }
  const bytes = await source.getBlob(repo, desc);
  if (bytes.byteLength > MAX_SIGNATURE_BLOB) {
    throw new WassetteError(ErrorCode.SizeLimit, `signature blob ${desc.digest} exceeds ${MAX_SIGNATURE_BLOB} bytes`);
  }
  if (sha256Digest(bytes) !== desc.digest) {
    throw new WassetteError(ErrorCode.DigestMismatch, `signature blob does not match its digest ${desc.digest}`);
  }
  return bytes;
}

/** Parses a JSON document, turning syntax errors into a signature error naming `what`. */
export function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new WassetteError(ErrorCode.SignatureInvalid, `${what} is not valid JSON`, { cause: e });
  }
}

export interface ImageManifest {
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** Reads an OCI image manifest leniently: only `layers` must be an array. */
export function parseImageManifest(bytes: Uint8Array, what: string): ImageManifest {
  const doc = parseJson(bytes, what);
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { layers?: unknown }).layers)) {
    throw new WassetteError(ErrorCode.SignatureInvalid, `${what} is not an OCI image manifest (no layers)`);
  }
  return doc as ImageManifest;
}

export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/**
 * Stores an OCI 1.1 artifact manifest that refers to `subject` (a bundle or Notation signature):
 * its single layer, the empty config, then the manifest by digest.
 */
export async function attachReferrer(
  source: SignatureSource,
  repo: string,
  subject: Descriptor,
  artifactType: string,
  layer: { bytes: Uint8Array; mediaType: string; annotations?: Record<string, string> },
  annotations: Record<string, string> = {},
): Promise<Descriptor> {
  const config = await source.putBlob(repo, new TextEncoder().encode('{}'), OCI_EMPTY);
  const layerDesc = await source.putBlob(repo, layer.bytes, layer.mediaType);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: { mediaType: OCI_EMPTY, digest: config.digest, size: config.size },
    layers: [{ mediaType: layer.mediaType, digest: layerDesc.digest, size: layerDesc.size, ...(layer.annotations ? { annotations: layer.annotations } : {}) }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  const bytes = encodeJson(manifest);
  const digest = await source.putManifest(repo, sha256Digest(bytes), bytes, OCI_MANIFEST);
  return { mediaType: OCI_MANIFEST, digest, size: bytes.byteLength, artifactType, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
}

/** A registry in memory: enough of the distribution API for unit tests and dry runs. */
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

/**
 * Why one signature did not verify. `untrusted-signer`: the signature may be intact but no trusted
 * key or certificate vouches for it; `bad-signature`/`digest-mismatch`: it is demonstrably altered
 * or made for other content; `expired`: the signature or a certificate is outside its validity
 * period; `malformed`/`unsupported`: it cannot be read or checked here.
 */
export type FailureKind = 'untrusted-signer' | 'bad-signature' | 'digest-mismatch' | 'expired' | 'malformed' | 'unsupported';

/** The result of checking one signature document against the trust material. */
/** `anchor`: for certificate chains, the SHA-256 fingerprint of the trusted certificate the chain ends at. */
export type SignatureCheck = { ok: true; signer: string; anchor?: string } | { ok: false; kind: FailureKind; reason: string };

export function fail(kind: FailureKind, reason: string): SignatureCheck {
  return { ok: false, kind, reason };
}

/**
 * Adapts D1's `RegistryClient` to one registry. Registries without the referrers API (such as
 * distribution 2.x) only find a referrer through the `sha256-<hex>` index tag, which nothing else
 * maintains, so pushing a manifest with a `subject` also appends it to that index when needed.
 */
export function registrySignatureSource(client: RegistryClient, registry: string): SignatureSource {
  const target = (repository: string) => ({ registry, repository });
  const getManifest = async (repo: string, ref: string): Promise<FetchedManifest | null> => {
    try {
      const m = await client.getManifest(target(repo), ref);
      return { bytes: m.bytes, digest: m.digest, mediaType: m.mediaType };
    } catch (e) {
      if (isWassetteError(e, ErrorCode.NotFound)) return null;
      throw e;
    }
  };
  const source: SignatureSource = {
    getManifest,
    getBlob: (repo, desc) => client.getBlob(target(repo), desc, MAX_SIGNATURE_BLOB),
    putBlob: (repo, bytes, mediaType) => client.putBlob(target(repo), bytes, mediaType),
    referrers: (repo, digest, artifactType) => client.referrers(target(repo), digest, artifactType),
    async putManifest(repo, ref, bytes, mediaType) {
      const digest = await client.putManifest(target(repo), ref, bytes, mediaType);
      const doc = parseJson(bytes, 'manifest') as { subject?: Descriptor; artifactType?: string; config?: Descriptor; annotations?: Record<string, string> };
      const subject = doc.subject?.digest;
      if (!isSha256Digest(subject)) return digest;
      if ((await client.referrers(target(repo), subject)).some((d) => d.digest === digest)) return digest;
      const tag = subject.replace(':', '-');
      const existing = await getManifest(repo, tag);
      const index = existing ? (parseJson(existing.bytes, 'referrers index') as { manifests?: Descriptor[] }) : {};
      const entry: Descriptor = {
        mediaType,
        digest,
        size: bytes.byteLength,
        ...((doc.artifactType ?? doc.config?.mediaType) ? { artifactType: doc.artifactType ?? doc.config?.mediaType } : {}),
        ...(doc.annotations ? { annotations: doc.annotations } : {}),
      };
      const manifests = [...(index.manifests ?? []).filter((d) => d.digest !== digest), entry];
      await client.putManifest(target(repo), tag, encodeJson({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }), OCI_INDEX);
      return digest;
    },
  };
  return source;
}
