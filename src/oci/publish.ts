// Publishes a component in the wasm-pkg layout (wasm config + application/wasm layer) with optional policy and description layers.
import { ErrorCode, WassetteError } from '../errors.js';
import type { RegistryClient } from './client.js';
import { sha256Digest } from './digest.js';
import { type Descriptor, encodeJson, type ImageManifest } from './manifest.js';
import { Annotation, MediaType } from './media-types.js';
import { formatReference, type OciReference, parseReference, withDigest } from './reference.js';

export interface PublishAnnotations {
  title?: string;
  description?: string;
  source?: string;
  version?: string;
  /** RFC 3339; defaults to now. */
  created?: string;
  /** Any further annotations, copied as given. */
  extra?: Record<string, string>;
}

export interface PublishOptions {
  client: RegistryClient;
  annotations?: PublishAnnotations;
  /** Written as an `application/vnd.wassette.tools.v1+json` layer. */
  descriptionJson?: object;
  /** Written as an `application/vnd.wasm.policy.v1+yaml` layer. */
  policyYaml?: string;
  /** The config `os` field; default `wasip2`. */
  os?: 'wasip1' | 'wasip2';
}

export interface PublishResult {
  manifestDigest: string;
  /** sha256 of the component layer. */
  digest: string;
  /** `oci://host/repo:tag@sha256:...` */
  reference: string;
}

function buildAnnotations(a: PublishAnnotations = {}, now: Date): Record<string, string> {
  const out: Record<string, string> = { [Annotation.Created]: a.created ?? now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  if (a.title) out[Annotation.Title] = a.title;
  if (a.description) out[Annotation.Description] = a.description;
  if (a.source) out[Annotation.Source] = a.source;
  if (a.version) out[Annotation.Version] = a.version;
  return { ...out, ...(a.extra ?? {}) };
}

/** Pure: the manifest and config documents for a set of layer descriptors. */
export function buildManifest(layers: Descriptor[], annotations: Record<string, string>, os: string): { config: Uint8Array; manifest: ImageManifest } {
  const config = encodeJson({
    created: annotations[Annotation.Created],
    architecture: 'wasm',
    os,
    layerDigests: layers.map((l) => l.digest),
  });
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.WasmConfig, digest: sha256Digest(config), size: config.byteLength },
    layers,
    annotations,
  };
  return { config, manifest };
}

/** Uploads layers, config and manifest; the manifest goes under the tag (or only by digest for a digest ref). */
export async function publishComponent(bytes: Uint8Array, reference: string | OciReference, options: PublishOptions): Promise<PublishResult> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  if (bytes.byteLength < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WassetteError(ErrorCode.InvalidComponent, 'refusing to publish: the file is not a WebAssembly binary (missing \\0asm header)');
  }
  const { client } = options;
  const annotations = buildAnnotations(options.annotations, new Date());
  const title = options.annotations?.title ?? ref.repository.split('/').pop() ?? 'component';
  const wasm = await client.putBlob(ref, bytes, MediaType.Wasm);
  const layers: Descriptor[] = [{ ...wasm, annotations: { [Annotation.Title]: `${title.replace(/\.wasm$/, '')}.wasm` } }];
  if (options.policyYaml !== undefined) {
    const d = await client.putBlob(ref, Buffer.from(options.policyYaml, 'utf8'), MediaType.Policy);
    layers.push({ ...d, annotations: { [Annotation.Title]: 'policy.yaml' } });
  }
  if (options.descriptionJson !== undefined) {
    const d = await client.putBlob(ref, encodeJson(options.descriptionJson), MediaType.ToolDescription);
    layers.push({ ...d, annotations: { [Annotation.Title]: 'tools.json' } });
  }
  const { config, manifest } = buildManifest(layers, annotations, options.os ?? 'wasip2');
  await client.putBlob(ref, config, MediaType.WasmConfig);
  const manifestBytes = encodeJson(manifest);
  const manifestDigest = sha256Digest(manifestBytes);
  if (ref.digest && ref.digest !== manifestDigest) {
    throw new WassetteError(ErrorCode.DigestMismatch, `cannot publish to ${formatReference(ref)}: the manifest built hashes to ${manifestDigest}`, {
      data: { expected: ref.digest, actual: manifestDigest },
    });
  }
  await client.putManifest(ref, ref.tag ?? manifestDigest, manifestBytes, MediaType.OciManifest);
  return { manifestDigest, digest: wasm.digest, reference: formatReference(withDigest(ref, manifestDigest)) };
}
