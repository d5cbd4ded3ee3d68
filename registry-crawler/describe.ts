// Learns one published component's tools as cheaply as possible: the tool-description layer `wassette publish`
// writes, else the component layer decoded (WIT + package-docs); annotations and the wasm config's exports add
// component-level context; the policy layer says what it asks for; the existing verifiers give its signature status.
import type { ParamInput, SourceInput, ToolInput } from '../index/documents.js';
import { decodeComponent } from '../src/component/decode-component.js';
import { componentTools } from '../src/component/tools.js';
import { errorMessage } from '../src/errors.js';
import type { RegistryClient, RepoTarget } from '../src/oci/client.js';
import { parseToolDescription } from '../src/oci/describe-layer.js';
import { selectLayers, pickFromIndex } from '../src/oci/layout.js';
import type { ImageManifest } from '../src/oci/manifest.js';
import { Annotation, MediaType } from '../src/oci/media-types.js';
import { registrySignatureSource } from '../src/oci/signature-source.js';
import { verifySignatures, type VerificationOutcome } from '../src/oci/signatures.js';
import type { TrustPolicy } from '../src/oci/trust-policy.js';
import { parsePolicy } from '../src/sandbox/policy.js';
import { requestedPermissions } from '../src/sandbox/requested-permissions.js';

const MiB = 1024 * 1024;

export interface DescribeLimits {
  /** Largest component layer pulled to decode; default 64 MiB. */
  maxComponentBytes?: number;
  /** Largest policy, description or config blob; default 1 MiB. */
  maxSideBytes?: number;
}

export interface Described {
  input: SourceInput;
  /** How the tools were learned: from the description layer, or by decoding the component. */
  via: 'description-layer' | 'decoded';
}

/** What one published component may put into the index: a registry writes these, so they are bounded. */
export const INDEX_BOUNDS = {
  tools: 256,
  params: 32,
  name: 128,
  type: 64,
  description: 2000,
  paramDescription: 200,
  annotations: 32,
  annotation: 500,
} as const;

const cut = (s: string | undefined, n: number): string | undefined => (s === undefined ? undefined : s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Trims a described component to INDEX_BOUNDS (tool count, parameter count, every text field). */
export function boundSource(input: SourceInput): SourceInput {
  const b = INDEX_BOUNDS;
  const annotations = Object.fromEntries(
    Object.entries(input.annotations ?? {})
      .slice(0, b.annotations)
      .map(([k, v]) => [cut(k, b.name)!, cut(v, b.annotation)!]),
  );
  const description = cut(input.description, b.description);
  const name = cut(input.name, b.name);
  return {
    ...input,
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    annotations,
    tools: input.tools.slice(0, b.tools).map((t) => ({
      name: cut(t.name, b.name)!,
      ...(t.description !== undefined ? { description: cut(t.description, b.description)! } : {}),
      ...(t.interface !== undefined ? { interface: cut(t.interface, b.name)! } : {}),
      params: (t.params ?? []).slice(0, b.params).map((p) => ({
        name: cut(p.name, b.name)!,
        ...(p.type !== undefined ? { type: cut(p.type, b.type)! } : {}),
        ...(p.description !== undefined ? { description: cut(p.description, b.paramDescription)! } : {}),
      })),
    })),
  };
}

/** JSON Schema properties -> index parameters (name, a short type, the schema's description). */
export function paramsOf(inputSchema: unknown): ParamInput[] {
  const props = (inputSchema as { properties?: Record<string, { type?: unknown; description?: unknown; title?: unknown }> } | undefined)?.properties;
  if (!props || typeof props !== 'object') return [];
  return Object.entries(props).map(([name, s]) => ({
    name,
    ...(typeof s?.type === 'string' ? { type: s.type } : typeof s?.title === 'string' ? { type: s.title } : {}),
    ...(typeof s?.description === 'string' ? { description: s.description } : {}),
  }));
}

async function manifestOf(client: RegistryClient, target: RepoTarget, digest: string, where: string): Promise<ImageManifest> {
  const top = await client.getManifest(target, digest);
  if (top.parsed.kind === 'manifest') return top.parsed.manifest;
  const child = await client.getManifest(target, pickFromIndex(top.parsed.index, where).digest);
  if (child.parsed.kind !== 'manifest') throw new Error(`${where}: nested indexes are not supported`);
  return child.parsed.manifest;
}

async function blobText(client: RegistryClient, target: RepoTarget, d: { digest: string; size: number }, cap: number, what: string): Promise<string> {
  if (d.size > cap) throw new Error(`${what} is ${d.size} bytes, over the ${cap}-byte limit`);
  return Buffer.from(await client.getBlob(target, d, cap)).toString('utf8');
}

/** `component.exports` of a wasm config blob (CNCF wasm OCI artifact layout), when present. */
function configExports(text: string): string[] {
  try {
    const exports = (JSON.parse(text) as { component?: { exports?: unknown } })?.component?.exports;
    return Array.isArray(exports) ? exports.filter((e): e is string => typeof e === 'string') : [];
  } catch {
    return [];
  }
}

async function signatureOf(client: RegistryClient, pinned: string, manifestDigest: string, trust: TrustPolicy, registry: string): Promise<VerificationOutcome> {
  try {
    return await verifySignatures(registrySignatureSource(client, registry), pinned, manifestDigest, trust);
  } catch (e) {
    // A trust rule that requires a signature refuses here; the crawl records why instead.
    return { status: 'failed', kind: 'unsupported', reason: errorMessage(e) } as VerificationOutcome;
  }
}

/**
 * Describes the component at `target@manifestDigest` (the digest a tag resolved to, so a tag moving meanwhile
 * cannot mix two versions). `tag` is recorded for people; the index source is the repository.
 */
export async function describeComponent(
  client: RegistryClient,
  target: RepoTarget,
  manifestDigest: string,
  tag: string,
  trust: TrustPolicy,
  limits: DescribeLimits = {},
): Promise<Described> {
  const repo = `${target.registry}/${target.repository}`;
  const where = `${repo}:${tag}`;
  const side = limits.maxSideBytes ?? MiB;
  const manifest = await manifestOf(client, target, manifestDigest, where);
  const layers = selectLayers(manifest, where);
  const annotations = { ...(manifest.annotations ?? {}) };
  const pinned = `oci://${repo}@${manifestDigest}`;

  let tools: ToolInput[];
  let via: Described['via'];
  let docs: string | undefined;
  let pkg: string | undefined;
  if (layers.description) {
    const doc = parseToolDescription(await blobText(client, target, layers.description, side, `${where} description layer`), where);
    tools = doc.tools.map((t) => ({ name: t.name, description: t.description, params: paramsOf(t.inputSchema) }));
    via = 'description-layer';
  } else {
    const cap = limits.maxComponentBytes ?? 64 * MiB;
    if (layers.wasm.size > cap) throw new Error(`${where}: component layer is ${layers.wasm.size} bytes, over the ${cap}-byte crawl limit`);
    const desc = decodeComponent(await client.getBlob(target, layers.wasm, cap));
    tools = componentTools(desc).map((t) => ({
      name: t.baseName,
      description: t.description,
      params: paramsOf(t.inputSchema),
      ...(t.target.interface ? { interface: t.target.interface } : {}),
    }));
    docs = desc.docs;
    pkg = desc.interfaces[0]?.name.split('/')[0];
    via = 'decoded';
  }
  if (manifest.config.mediaType === MediaType.WasmConfig && manifest.config.size <= side) {
    const exports = configExports(await blobText(client, target, manifest.config, side, `${where} config`));
    if (exports.length > 0) annotations['wasm.exports'] = exports.join(' ');
  }
  let permissions: string[] = [];
  if (layers.policy) {
    try {
      permissions = requestedPermissions(parsePolicy(await blobText(client, target, layers.policy, side, `${where} policy layer`), `${where} policy layer`));
    } catch (e) {
      permissions = [`invalid policy layer: ${errorMessage(e)}`];
    }
  }
  const signature = await signatureOf(client, pinned, manifestDigest, trust, target.registry);
  annotations['wassette.tag'] = tag;
  const name = annotations[Annotation.Title] ?? target.repository.split('/').pop() ?? target.repository;
  const description = annotations[Annotation.Description] ?? docs;
  return {
    via,
    input: boundSource({
      source: `oci://${repo}`,
      kind: 'component',
      ref: pinned,
      name,
      ...(description ? { description } : {}),
      ...(pkg ? { package: pkg } : {}),
      annotations,
      permissions,
      signature,
      tools,
    }),
  };
}
