// First step of loading: get a component's bytes from a file, an https URL or an OCI registry,
// verified by digest (and signature for OCI), cached in the content-addressed blob store.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SourceRef } from '../component/source.js';
import { ErrorCode, WassetteError } from '../errors.js';
import type { BlobStore } from '../oci/blob-store.js';
import type { RegistryClient } from '../oci/client.js';
import { pinnedUrl, sha256Digest } from '../oci/digest.js';
import { fetchHttps } from '../oci/https-source.js';
import { pullComponent, type PulledComponent } from '../oci/pull.js';
import { parseReference } from '../oci/reference.js';
import { registrySignatureSource } from '../oci/signature-source.js';
import { stillTrusted, verifySignatures, type VerificationOutcome } from '../oci/signatures.js';
import type { TrustPolicy } from '../oci/trust-policy.js';
import type { OnLoadStage } from './load-progress.js';

export interface FetchedComponent {
  bytes: Uint8Array;
  /** `sha256:<hex>` of the component bytes. */
  digest: string;
  /** What to record as the source: the input, pinned to a manifest digest for OCI. */
  source: string;
  /** Starting policy shipped beside the component (file) or in the artifact (OCI). */
  policyYaml?: string;
  policyOrigin?: string;
  /** Signature verification outcome (OCI only). */
  verification?: VerificationOutcome;
  annotations?: Record<string, string>;
  warnings: string[];
}

export interface FetchDeps {
  blobs: BlobStore;
  registry: () => Promise<RegistryClient>;
  trust: TrustPolicy;
  maxBytes: number;
  /** The verification recorded when this pinned reference was last loaded, if any. */
  priorVerification?: (pinnedReference: string) => VerificationOutcome | undefined;
  /** Told as the fetch reaches each stage (progress reports); absent, nothing is reported. */
  onStage?: OnLoadStage;
}

/** The policy file for a component file: `<stem>.policy.yaml`, else `policy.yaml` in the same directory. */
export function policyFileFor(componentPath: string): string | undefined {
  const dir = dirname(componentPath);
  const candidates = [join(dir, `${basename(componentPath).replace(/\.wasm$/i, '')}.policy.yaml`), join(dir, 'policy.yaml')];
  return candidates.find((p) => existsSync(p));
}

async function fromFile(path: string, deps: FetchDeps): Promise<FetchedComponent> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new WassetteError(ErrorCode.NotFound, `no such file: ${path}`);
  }
  if (!info.isFile()) throw new WassetteError(ErrorCode.InvalidArgument, `${path} is not a regular file`);
  if (info.size > deps.maxBytes) throw new WassetteError(ErrorCode.SizeLimit, `${path} is ${info.size} bytes, above the ${deps.maxBytes}-byte limit`);
  // A view, not a copy: a second 12 MB buffer per load is more malloc heap to fragment.
  const read = await readFile(path);
  const bytes = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
  const digest = sha256Digest(bytes);
  const policyFile = policyFileFor(path);
  return {
    bytes,
    digest,
    source: path,
    ...(policyFile ? { policyYaml: await readFile(policyFile, 'utf8'), policyOrigin: policyFile } : {}),
    warnings: [],
  };
}

async function fromOci(ref: string, deps: FetchDeps): Promise<FetchedComponent> {
  const client = await deps.registry();
  const parsed = parseReference(ref);
  let verification: VerificationOutcome | undefined;
  // Bytes served from the cache keep the signature outcome recorded when they were verified, as
  // long as it still meets the trust policy; anything else is verified against the registry now,
  // before the pull caches it.
  const verify = async (pulled: PulledComponent): Promise<void> => {
    const prior = pulled.source === 'registry' ? undefined : deps.priorVerification?.(pulled.pinnedReference);
    deps.onStage?.('verify', `checking signatures of ${pulled.pinnedReference}`);
    verification =
      prior && stillTrusted(prior, pulled.pinnedReference, deps.trust)
        ? prior
        : await verifySignatures(registrySignatureSource(client, parsed.registry), pulled.pinnedReference, pulled.manifestDigest, deps.trust);
  };
  const pulled = await pullComponent(ref, {
    client,
    store: deps.blobs,
    maxBytes: deps.maxBytes,
    accept: verify,
    ...(deps.onStage ? { onStage: deps.onStage } : {}),
  });
  if (verification === undefined) await verify(pulled);
  return {
    bytes: pulled.bytes,
    digest: pulled.digest,
    source: pulled.pinnedReference,
    ...(pulled.policyYaml !== undefined ? { policyYaml: pulled.policyYaml, policyOrigin: `${pulled.pinnedReference} (policy layer)` } : {}),
    ...(verification ? { verification } : {}),
    annotations: pulled.annotations,
    warnings: pulled.warnings,
  };
}

/** A recorded outcome still holds when it meets the requirement and, for a key signature, the key is still trusted. */
export async function fetchComponent(source: SourceRef, deps: FetchDeps): Promise<FetchedComponent> {
  switch (source.kind) {
    case 'file':
      deps.onStage?.('resolve', `reading ${source.path}`);
      return fromFile(source.path, deps);
    case 'https': {
      deps.onStage?.('download', `downloading ${source.url}`);
      const input = source.sha256 ? pinnedUrl(source.url, source.sha256) : source.url;
      const got = await fetchHttps(input, { cacheStore: deps.blobs, maxBytes: deps.maxBytes });
      return { bytes: got.bytes, digest: got.digest, source: pinnedUrl(source.url, got.digest), warnings: [] };
    }
    case 'oci':
      return fromOci(source.ref, deps);
  }
}
