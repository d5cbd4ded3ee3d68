// OCI / wasm media types and annotation keys the distribution code reads and writes, in one place.

export const MediaType = {
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  /** Config written by wasm-pkg-tools (`wkg oci push`) and by `publishComponent`. */
  WasmConfig: 'application/vnd.wasm.config.v0+json',
  /** ORAS' empty config (`{}`), used when an artifact has no config of its own. */
  EmptyConfig: 'application/vnd.oci.empty.v1+json',
  Wasm: 'application/wasm',
  /** CNCF wasm OCI artifact policy layer; the one `publishComponent` writes. */
  Policy: 'application/vnd.wasm.policy.v1+yaml',
  /** Wassette's own tool-description layer (JSON). */
  ToolDescription: 'application/vnd.wassette.tools.v1+json',
} as const;

/** Manifest media types sent in `Accept` when fetching a manifest. */
export const MANIFEST_ACCEPT = [MediaType.OciManifest, MediaType.OciIndex, MediaType.DockerManifest, MediaType.DockerManifestList] as const;

/** Layer media types that hold a component, newest conventions first. */
export const WASM_LAYER_TYPES: readonly string[] = [
  MediaType.Wasm,
  'application/vnd.wasm.component.v1',
  'application/vnd.wasm.content.layer.v1+wasm',
  'application/vnd.bytecodealliance.wasm.component.layer.v0+wasm',
];

/**
 * Layer media types accepted as a policy document. The first is the CNCF name; the second is the
 * legacy name Wassette (Rust) used; the generic YAML types are accepted only when nothing better exists.
 */
export const POLICY_LAYER_TYPES: readonly string[] = [
  MediaType.Policy,
  'application/vnd.wassette.policy+yaml',
  'application/x-yaml',
  'application/yaml',
  'text/yaml',
];

export const TOOL_DESCRIPTION_LAYER_TYPES: readonly string[] = [MediaType.ToolDescription];

/** Artifact types (manifest `artifactType`) that mark a wasm component. */
export const WASM_ARTIFACT_TYPES: readonly string[] = [
  MediaType.Wasm,
  MediaType.WasmConfig,
  'application/vnd.wasm.component.v1',
  'application/vnd.wasm.component.v1+wasm',
];

export const Annotation = {
  Title: 'org.opencontainers.image.title',
  Description: 'org.opencontainers.image.description',
  Source: 'org.opencontainers.image.source',
  Version: 'org.opencontainers.image.version',
  Created: 'org.opencontainers.image.created',
} as const;

export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList;
}
