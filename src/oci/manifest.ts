// OCI manifest / index / descriptor types and the pure helpers around them (parse, digest, verify).
import { ErrorCode, WassetteError } from '../errors.js';
import { isSha256Digest, sha256Digest } from './digest.js';
import { isIndexMediaType } from './media-types.js';

export interface Platform {
  architecture?: string;
  os?: string;
  'os.version'?: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
  platform?: Platform;
  urls?: string[];
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export type ParsedManifest = { kind: 'manifest'; manifest: ImageManifest } | { kind: 'index'; index: ImageIndex };

/** Throws `digest-mismatch` naming both digests when `bytes` do not hash to `expected`. */
export function verifyDigest(bytes: Uint8Array, expected: string, what: string): void {
  const actual = sha256Digest(bytes);
  if (actual !== expected) {
    throw new WassetteError(ErrorCode.DigestMismatch, `${what}: digest mismatch, expected ${expected} but content hashes to ${actual}`, {
      data: { expected, actual },
    });
  }
}

function checkDescriptor(d: unknown, where: string): Descriptor {
  const o = d as Partial<Descriptor> | null;
  if (!o || typeof o.mediaType !== 'string' || typeof o.digest !== 'string' || typeof o.size !== 'number') {
    throw new WassetteError(ErrorCode.Registry, `${where}: descriptor lacks mediaType, digest or size`);
  }
  if (!isSha256Digest(o.digest)) throw new WassetteError(ErrorCode.Registry, `${where}: unsupported digest "${o.digest}" (only sha256 is accepted)`);
  if (!Number.isSafeInteger(o.size) || o.size < 0) throw new WassetteError(ErrorCode.Registry, `${where}: invalid size ${o.size}`);
  return o as Descriptor;
}

/**
 * Parses manifest bytes. `contentType` (from the response) decides between manifest and index when
 * the document does not say; digests are sha256 only.
 */
export function parseManifest(bytes: Uint8Array, contentType: string | undefined, where: string): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new WassetteError(ErrorCode.Registry, `${where}: manifest is not valid JSON`, { cause: e });
  }
  if (typeof doc !== 'object' || doc === null || doc.schemaVersion !== 2) {
    throw new WassetteError(ErrorCode.Registry, `${where}: not a schemaVersion 2 manifest`);
  }
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : contentType?.split(';')[0]?.trim();
  if (isIndexMediaType(mediaType) || (mediaType === undefined && Array.isArray(doc.manifests))) {
    if (!Array.isArray(doc.manifests)) throw new WassetteError(ErrorCode.Registry, `${where}: index without manifests`);
    for (const [i, m] of doc.manifests.entries()) checkDescriptor(m, `${where} manifests[${i}]`);
    return { kind: 'index', index: doc as unknown as ImageIndex };
  }
  checkDescriptor(doc.config, `${where} config`);
  if (!Array.isArray(doc.layers)) throw new WassetteError(ErrorCode.Registry, `${where}: manifest without layers`);
  for (const [i, l] of doc.layers.entries()) checkDescriptor(l, `${where} layers[${i}]`);
  return { kind: 'manifest', manifest: doc as unknown as ImageManifest };
}

/** Serializes a manifest the way it will be pushed (the bytes the digest is computed over). */
export function encodeJson(doc: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(doc), 'utf8');
}
