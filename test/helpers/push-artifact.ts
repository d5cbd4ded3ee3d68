// Test helper: pushes a one-layer OCI artifact (any layer bytes and media types) under a tag, for artifacts
// `wassette publish` would never write: a non-component, a component layer that is not a component.
import type { RegistryClient } from '../../src/oci/client.js';
import { encodeJson } from '../../src/oci/manifest.js';
import { MediaType } from '../../src/oci/media-types.js';

export async function pushArtifact(
  client: RegistryClient,
  target: { registry: string; repository: string },
  tag: string,
  layer: { bytes: Uint8Array; mediaType: string },
  configMediaType: string,
): Promise<void> {
  const l = await client.putBlob(target, layer.bytes, layer.mediaType);
  const config = await client.putBlob(target, Buffer.from('{}'), configMediaType);
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { ...config, mediaType: configMediaType },
    layers: [{ ...l, mediaType: layer.mediaType }],
  };
  await client.putManifest(target, tag, encodeJson(manifest), MediaType.OciManifest);
}
