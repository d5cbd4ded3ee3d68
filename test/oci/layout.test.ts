// Table tests for choosing the component manifest in an index and the wasm/policy/description layers.
import { describe, expect, it } from 'vitest';
import { pickFromIndex, selectLayers } from '../../src/oci/layout.js';
import type { Descriptor, ImageManifest } from '../../src/oci/manifest.js';

const dg = (c: string) => `sha256:${c.repeat(64)}`;
const d = (mediaType: string, c: string, title?: string): Descriptor => ({
  mediaType,
  digest: dg(c),
  size: 1,
  ...(title ? { annotations: { 'org.opencontainers.image.title': title } } : {}),
});
const manifest = (config: string, layers: Descriptor[], artifactType?: string): ImageManifest => ({
  schemaVersion: 2,
  config: d(config, 'c'),
  layers,
  ...(artifactType ? { artifactType } : {}),
});

describe('selectLayers', () => {
  it.each([
    ['wasm-pkg', manifest('application/vnd.wasm.config.v0+json', [d('application/wasm', '1')]), '1', undefined, undefined],
    [
      'wassette with policy + description',
      manifest('application/vnd.wasm.config.v0+json', [
        d('application/vnd.wassette.tools.v1+json', '3'),
        d('application/vnd.wasm.policy.v1+yaml', '2'),
        d('application/wasm', '1'),
      ]),
      '1',
      '2',
      '3',
    ],
    ['legacy wassette policy name', manifest('x', [d('application/wasm', '1'), d('application/vnd.wassette.policy+yaml', '2')]), '1', '2', undefined],
    [
      'CNCF policy preferred over generic yaml',
      manifest('x', [d('application/wasm', '1'), d('text/yaml', '4'), d('application/vnd.wasm.policy.v1+yaml', '2')]),
      '1',
      '2',
      undefined,
    ],
    [
      'ORAS titled tar layer',
      manifest('application/vnd.oci.empty.v1+json', [d('application/vnd.oci.image.layer.v1.tar', '1', 'tool.wasm')], 'application/x'),
      '1',
      undefined,
      undefined,
    ],
    [
      'ORAS policy file by title',
      manifest('application/vnd.oci.empty.v1+json', [
        d('application/vnd.oci.image.layer.v1.tar', '1', 'tool.wasm'),
        d('application/vnd.oci.image.layer.v1.tar', '2', 'policy.yaml'),
      ]),
      '1',
      '2',
      undefined,
    ],
    [
      'single layer, wasm artifactType',
      manifest('application/vnd.oci.empty.v1+json', [d('application/octet-stream', '1')], 'application/wasm'),
      '1',
      undefined,
      undefined,
    ],
    [
      'old content layer type',
      manifest('application/vnd.wasm.config.v1+json', [d('application/vnd.wasm.content.layer.v1+wasm', '1')]),
      '1',
      undefined,
      undefined,
    ],
  ])('%s', (_name, m, wasm, policy, description) => {
    const got = selectLayers(m, 'test');
    expect(got.wasm.digest).toBe(dg(wasm));
    expect(got.policy?.digest).toBe(policy && dg(policy));
    expect(got.description?.digest).toBe(description && dg(description));
  });

  it('names the layer types it saw when there is no wasm layer', () => {
    expect(() =>
      selectLayers(manifest('application/vnd.oci.image.config.v1+json', [d('application/vnd.oci.image.layer.v1.tar+gzip', '1')]), 'oci://x/y:1'),
    ).toThrowError(expect.objectContaining({ code: 'invalid-component', message: expect.stringContaining('application/vnd.oci.image.layer.v1.tar+gzip') }));
  });
});

describe('pickFromIndex', () => {
  const entry = (c: string, extra: Partial<Descriptor>): Descriptor => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: dg(c),
    size: 1,
    ...extra,
  });
  it.each([
    [
      'wasip2 over wasip1',
      [entry('1', { platform: { os: 'wasip1', architecture: 'wasm' } }), entry('2', { platform: { os: 'wasip2', architecture: 'wasm' } })],
      '2',
    ],
    [
      'wasm over linux',
      [entry('1', { platform: { os: 'linux', architecture: 'amd64' } }), entry('2', { platform: { os: 'wasip1', architecture: 'wasm' } })],
      '2',
    ],
    ['artifactType', [entry('1', { artifactType: 'application/vnd.example' }), entry('2', { artifactType: 'application/wasm' })], '2'],
    ['lone entry', [entry('1', {})], '1'],
  ])('%s', (_name, manifests, want) => {
    expect(pickFromIndex({ schemaVersion: 2, manifests }, 'idx').digest).toBe(dg(want));
  });

  it('refuses an index of only non-wasm platforms', () => {
    const manifests = [entry('1', { platform: { os: 'linux', architecture: 'amd64' } }), entry('2', { platform: { os: 'linux', architecture: 'arm64' } })];
    expect(() => pickFromIndex({ schemaVersion: 2, manifests }, 'idx')).toThrowError(
      expect.objectContaining({ message: expect.stringContaining('linux/amd64') }),
    );
  });
});
