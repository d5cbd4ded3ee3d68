// Pulls a component (plus optional policy and tool-description layers) from a registry, through the blob cache.
import { ErrorCode, WassetteError, isWassetteError } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import type { RegistryClient } from './client.js';
import { selectLayers, pickFromIndex, type ComponentLayers } from './layout.js';
import { type Descriptor, type ImageManifest, parseManifest } from './manifest.js';
import { formatReference, manifestReference, type OciReference, parseReference, tagKey, withDigest } from './reference.js';

export interface PullOptions {
  client: RegistryClient;
  /** Blob cache; without it every pull goes to the network and nothing is kept. */
  store?: BlobStore;
  /** Cap on the component layer; default 256 MiB. */
  maxBytes?: number;
  /** Cap on policy / description layers; default 1 MiB each. */
  maxSideLayerBytes?: number;
  /**
   * Runs on content fetched from the registry once its digests check out and before anything is
   * cached (signature verification); a throw leaves the cache untouched.
   */
  accept?: (pulled: PulledComponent) => Promise<void>;
  /** Told when the pull starts resolving the reference and when it starts downloading layers (for progress reports). */
  onStage?: (stage: 'resolve' | 'download', message: string) => void;
}

export interface PulledComponent {
  bytes: Uint8Array;
  /** sha256 of the component layer. */
  digest: string;
  /** Digest of the manifest that was (or would be) resolved for the reference; for an index, the index's digest. */
  manifestDigest: string;
  /** The reference pinned to `manifestDigest`: what to record so the same bytes can be loaded again. */
  pinnedReference: string;
  policyYaml?: string;
  description?: unknown;
  /** Manifest annotations (org.opencontainers.image.*, ...). */
  annotations: Record<string, string>;
  /** `registry`: fetched now; `cache`: digest-pinned and cached; `cache-offline`: the registry was unreachable and the last known tag mapping was used. */
  source: 'registry' | 'cache' | 'cache-offline';
  warnings: string[];
}

interface Resolved {
  /** Bytes of every manifest/index read, by digest (all verified), to cache on success. */
  documents: Map<string, Uint8Array>;
  manifest: ImageManifest;
  layers: ComponentLayers;
}

const MiB = 1024 * 1024;

/**
 * Resolution rules: a digest-pinned reference found in the cache needs no network. A tag always
 * re-resolves against the registry; only when the registry cannot be reached (network-error or
 * timeout) does it fall back to the digest the tag last resolved to, with `source: 'cache-offline'`
 * and a warning. Every manifest and blob is verified before anything is written to the cache.
 */
export async function pullComponent(reference: string | OciReference, options: PullOptions): Promise<PulledComponent> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const { store } = options;
  options.onStage?.('resolve', `resolving ${formatReference(ref)}`);
  if (ref.digest && store) {
    const cached = await fromCache(ref, ref.digest, options);
    if (cached) return { ...cached, source: 'cache' };
  }
  let top: { digest: string; bytes: Uint8Array; mediaType: string };
  try {
    top = await options.client.getManifest(ref, manifestReference(ref));
  } catch (e) {
    const offline = isWassetteError(e, ErrorCode.Network) || isWassetteError(e, ErrorCode.Timeout);
    if (offline && store && !ref.digest) {
      const entry = await store.resolveRef(tagKey(ref));
      const cached = entry ? await fromCache(ref, entry.manifestDigest, options) : undefined;
      if (entry && cached) {
        const warning = `registry ${ref.registry} unreachable; using cached ${tagKey(ref)} -> ${entry.manifestDigest} (resolved ${entry.resolvedAt})`;
        return { ...cached, source: 'cache-offline', warnings: [...cached.warnings, warning] };
      }
    }
    throw e;
  }
  const resolved = await resolveNetwork(ref, top, options);
  const bytes = wanted(resolved.layers, options).reduce((n, [d]) => n + d.size, 0);
  options.onStage?.('download', `downloading ${formatReference(ref)} (${bytes} bytes in ${wanted(resolved.layers, options).length} layer(s))`);
  const blobs = await fetchLayers(ref, resolved.layers, options);
  const result = assemble(ref, top.digest, resolved, blobs);
  await options.accept?.({ ...result, source: 'registry' });
  if (store) {
    for (const [digest, bytes] of resolved.documents) await store.put(bytes, digest);
    for (const [digest, bytes] of blobs) await store.put(bytes, digest);
    if (!ref.digest) await store.recordRef(tagKey(ref), top.digest);
  }
  return { ...result, source: 'registry' };
}

async function resolveNetwork(ref: OciReference, top: { digest: string; bytes: Uint8Array; mediaType: string }, options: PullOptions): Promise<Resolved> {
  const where = formatReference(ref);
  const documents = new Map([[top.digest, top.bytes]]);
  let parsed = parseManifest(top.bytes, top.mediaType, where);
  if (parsed.kind === 'index') {
    const entry = pickFromIndex(parsed.index, where);
    const child = await options.client.getManifest(ref, entry.digest);
    documents.set(child.digest, child.bytes);
    parsed = child.parsed;
    if (parsed.kind !== 'manifest') throw new WassetteError(ErrorCode.InvalidComponent, `${where}: nested indexes are not supported`);
  }
  return { documents, manifest: parsed.manifest, layers: selectLayers(parsed.manifest, where) };
}

function wanted(layers: ComponentLayers, options: PullOptions): [Descriptor, number][] {
  const side = options.maxSideLayerBytes ?? MiB;
  const list: [Descriptor, number][] = [[layers.wasm, options.maxBytes ?? 256 * MiB]];
  if (layers.policy) list.push([layers.policy, side]);
  if (layers.description) list.push([layers.description, side]);
  return list;
}

async function fetchLayers(ref: OciReference, layers: ComponentLayers, options: PullOptions): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const [desc, cap] of wanted(layers, options)) {
    if (desc.size > cap) {
      throw new WassetteError(
        ErrorCode.SizeLimit,
        `layer ${desc.digest} (${desc.mediaType}) of ${formatReference(ref)} is ${desc.size} bytes, over the ${cap}-byte limit`,
      );
    }
    const cached = await options.store?.get(desc.digest);
    out.set(desc.digest, cached ?? (await options.client.getBlob(ref, desc, cap)));
  }
  return out;
}

function assemble(ref: OciReference, manifestDigest: string, resolved: Resolved, blobs: Map<string, Uint8Array>): Omit<PulledComponent, 'source'> {
  const { layers, manifest } = resolved;
  const warnings: string[] = [];
  const text = (d: Descriptor | undefined): string | undefined => {
    const b = d ? blobs.get(d.digest) : undefined;
    return b ? Buffer.from(b).toString('utf8') : undefined;
  };
  let description: unknown;
  const descText = text(layers.description);
  if (descText !== undefined) {
    try {
      description = JSON.parse(descText);
    } catch {
      warnings.push(`tool-description layer ${layers.description?.digest} is not valid JSON; ignored`);
    }
  }
  const policyYaml = text(layers.policy);
  const bytes = blobs.get(layers.wasm.digest);
  if (!bytes) throw new WassetteError(ErrorCode.Internal, `component layer ${layers.wasm.digest} was not fetched`);
  return {
    bytes,
    digest: layers.wasm.digest,
    manifestDigest,
    pinnedReference: formatReference(withDigest(ref, manifestDigest)),
    ...(policyYaml !== undefined ? { policyYaml } : {}),
    ...(description !== undefined ? { description } : {}),
    annotations: { ...(manifest.annotations ?? {}) },
    warnings,
  };
}

/** Serves a manifest digest entirely from the cache; undefined when anything needed is missing. */
async function fromCache(ref: OciReference, manifestDigest: string, options: PullOptions): Promise<Omit<PulledComponent, 'source'> | undefined> {
  const store = options.store;
  if (!store) return undefined;
  const where = formatReference(ref);
  const topBytes = await store.get(manifestDigest);
  if (!topBytes) return undefined;
  const documents = new Map([[manifestDigest, topBytes]]);
  let parsed = parseManifest(topBytes, undefined, where);
  if (parsed.kind === 'index') {
    const entry = pickFromIndex(parsed.index, where);
    const child = await store.get(entry.digest);
    if (!child) return undefined;
    parsed = parseManifest(child, entry.mediaType, where);
    if (parsed.kind !== 'manifest') return undefined;
  }
  const layers = selectLayers(parsed.manifest, where);
  const blobs = new Map<string, Uint8Array>();
  for (const [desc, cap] of wanted(layers, options)) {
    if (desc.size > cap) return undefined;
    const b = await store.get(desc.digest);
    if (!b) return undefined;
    blobs.set(desc.digest, b);
  }
  return assemble(ref, manifestDigest, { documents, manifest: parsed.manifest, layers }, blobs);
}
