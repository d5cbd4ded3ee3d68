// Pure choices over manifests: which index entry is the wasm component, and which layers hold wasm/policy/description.
import { ErrorCode, WassetteError } from '../errors.js';
import type { Descriptor, ImageIndex, ImageManifest } from './manifest.js';
import { Annotation, POLICY_LAYER_TYPES, TOOL_DESCRIPTION_LAYER_TYPES, WASM_ARTIFACT_TYPES, WASM_LAYER_TYPES } from './media-types.js';

export interface ComponentLayers {
  wasm: Descriptor;
  policy: Descriptor | undefined;
  description: Descriptor | undefined;
}

function rank(types: readonly string[], mediaType: string): number {
  const i = types.indexOf(mediaType);
  return i < 0 ? Number.POSITIVE_INFINITY : i;
}

function best(layers: readonly Descriptor[], types: readonly string[]): Descriptor | undefined {
  let pick: Descriptor | undefined;
  for (const l of layers) if (rank(types, l.mediaType) < rank(types, pick?.mediaType ?? '')) pick = l;
  return pick;
}

function title(d: Descriptor): string {
  return d.annotations?.[Annotation.Title] ?? '';
}

/**
 * Finds the component layer in the layouts seen in the wild: wasm-pkg / `wkg oci push`
 * (`application/wasm` layer, wasm config), ORAS (any layer media type, title ending in `.wasm`),
 * and older `application/vnd.wasm.*` layer types. Policy: `application/vnd.wasm.policy.v1+yaml`
 * first, Wassette's legacy `application/vnd.wassette.policy+yaml`, then generic YAML types.
 */
export function selectLayers(manifest: ImageManifest, where: string): ComponentLayers {
  const layers = manifest.layers;
  const wasm =
    best(layers, WASM_LAYER_TYPES) ??
    layers.find((l) => title(l).toLowerCase().endsWith('.wasm')) ??
    (layers.length === 1 && WASM_ARTIFACT_TYPES.includes(manifest.artifactType ?? manifest.config.mediaType) ? layers[0] : undefined);
  if (!wasm) {
    const seen = layers.map((l) => l.mediaType).join(', ') || 'none';
    throw new WassetteError(ErrorCode.InvalidComponent, `${where} has no WebAssembly layer (layer media types: ${seen})`);
  }
  const rest = layers.filter((l) => l !== wasm);
  const policy = best(rest, POLICY_LAYER_TYPES) ?? rest.find((l) => /\.(ya?ml)$/i.test(title(l)) && /policy/i.test(title(l)));
  const description = best(rest, TOOL_DESCRIPTION_LAYER_TYPES);
  return { wasm, policy, description };
}

function wasmScore(d: Descriptor): number {
  if (d.artifactType && WASM_ARTIFACT_TYPES.includes(d.artifactType)) return 3;
  const p = d.platform;
  if (p?.architecture === 'wasm' || p?.os?.startsWith('wasi')) return p.os === 'wasip2' ? 3 : 2;
  return 0;
}

/** Picks the component manifest from an index: a wasm artifactType or platform (wasip2 preferred). */
export function pickFromIndex(index: ImageIndex, where: string): Descriptor {
  let pick: Descriptor | undefined;
  let score = 0;
  for (const d of index.manifests) {
    const s = wasmScore(d);
    if (s > score) {
      pick = d;
      score = s;
    }
  }
  if (pick) return pick;
  if (index.manifests.length === 1 && index.manifests[0]) return index.manifests[0];
  const platforms = index.manifests.map((d) => (d.platform ? `${d.platform.os ?? '?'}/${d.platform.architecture ?? '?'}` : (d.artifactType ?? d.mediaType)));
  throw new WassetteError(ErrorCode.InvalidComponent, `${where} is an index without a wasm component entry (entries: ${platforms.join(', ') || 'none'})`);
}
