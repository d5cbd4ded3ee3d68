// Publish/pull round trips against a real docker-registry: tags, digests, cache, offline, tampering, ORAS layout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/oci/blob-store.js';
import { RegistryClient } from '../../src/oci/client.js';
import { encodeJson, sha256Digest } from '../../src/oci/manifest.js';
import { MediaType } from '../../src/oci/media-types.js';
import { publishComponent } from '../../src/oci/publish.js';
import { pullComponent } from '../../src/oci/pull.js';
import { parseReference } from '../../src/oci/reference.js';
import { freePort, startRegistry, destroyRegistry, type RunningRegistry } from '../helpers/registry.js';
import { startTamperProxy } from '../helpers/tamper-proxy.js';
import { fakeComponent, tempHome } from './registry-fixtures.js';

let reg: RunningRegistry;
const client = new RegistryClient({ timeoutMs: 5000 });

beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(async () => {
  await destroyRegistry(reg);
});

describe('publish then pull', () => {
  it('round-trips bytes, policy, description and annotations by tag and by digest', async () => {
    const wasm = fakeComponent(4096);
    const ref = `oci://${reg.registry}/tools/echo:1.0.0`;
    const published = await publishComponent(wasm, ref, {
      client,
      annotations: { title: 'echo', description: 'Echoes input', version: '1.0.0', source: 'https://example.com/echo' },
      policyYaml: 'version: "1.0"\npermissions: {}\n',
      descriptionJson: { tools: [{ name: 'echo' }] },
    });
    expect(published.digest).toBe(sha256Digest(wasm));

    const byTag = await pullComponent(ref, { client });
    expect(Buffer.from(byTag.bytes).equals(Buffer.from(wasm))).toBe(true);
    expect(byTag.manifestDigest).toBe(published.manifestDigest);
    expect(byTag.policyYaml).toContain('permissions');
    expect(byTag.description).toEqual({ tools: [{ name: 'echo' }] });
    expect(byTag.annotations['org.opencontainers.image.description']).toBe('Echoes input');
    expect(byTag.annotations['org.opencontainers.image.version']).toBe('1.0.0');
    expect(byTag.source).toBe('registry');

    const byDigest = await pullComponent(`oci://${reg.registry}/tools/echo@${published.manifestDigest}`, { client });
    expect(byDigest.digest).toBe(published.digest);
    expect(byDigest.pinnedReference).toBe(`oci://${reg.registry}/tools/echo@${published.manifestDigest}`);
  });

  it('reports a missing tag and a missing repository by name', async () => {
    await publishComponent(fakeComponent(), `oci://${reg.registry}/tools/present:v1`, { client });
    await expect(pullComponent(`oci://${reg.registry}/tools/present:v2`, { client })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('tag v2 not found in repo tools/present'),
    });
    await expect(pullComponent(`oci://${reg.registry}/tools/absent:v1`, { client })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses a digest pin that does not match', async () => {
    await publishComponent(fakeComponent(), `oci://${reg.registry}/tools/pinned:v1`, { client });
    const wrong = `sha256:${'0'.repeat(64)}`;
    await expect(pullComponent(`oci://${reg.registry}/tools/pinned:v1@${wrong}`, { client })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('names host:port when the registry is unreachable', async () => {
    const port = await freePort();
    await expect(pullComponent(`oci://127.0.0.1:${port}/tools/x:v1`, { client })).rejects.toMatchObject({
      code: 'network-error',
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
  });

  it('refuses an oversized component before downloading it', async () => {
    await publishComponent(fakeComponent(10_000), `oci://${reg.registry}/tools/big:v1`, { client });
    await expect(pullComponent(`oci://${reg.registry}/tools/big:v1`, { client, maxBytes: 1000 })).rejects.toMatchObject({ code: 'size-limit' });
  });
});

describe('integrity', () => {
  it('refuses a tampered layer and caches nothing', async () => {
    const ref = `/tools/tamper:v1`;
    await publishComponent(fakeComponent(2048), `oci://${reg.registry}${ref}`, { client });
    const proxy = await startTamperProxy(reg.url);
    const store = new BlobStore(`${tempHome()}/blobs`);
    try {
      await expect(pullComponent(`oci://${proxy.registry}${ref}`, { client, store })).rejects.toMatchObject({
        code: 'digest-mismatch',
        message: expect.stringMatching(/expected sha256:[a-f0-9]{64} but content hashes to sha256:[a-f0-9]{64}/),
      });
      expect(proxy.tampered()).toBeGreaterThan(0);
      expect(await store.prune([])).toEqual({ removed: 0, freedBytes: 0 });
      expect(await store.resolveRef(`${proxy.registry}/tools/tamper:v1`)).toBeUndefined();
    } finally {
      await proxy.stop();
    }
  });
});

describe('manifest integrity', () => {
  it('refuses a digest-pinned manifest altered in transit', async () => {
    const pub = await publishComponent(fakeComponent(), `oci://${reg.registry}/tools/mpin:v1`, { client });
    const proxy = await startTamperProxy(reg.url, { shouldTamper: (m, p) => m === 'GET' && p.includes('/manifests/') });
    try {
      await expect(pullComponent(`oci://${proxy.registry}/tools/mpin@${pub.manifestDigest}`, { client })).rejects.toMatchObject({
        code: 'digest-mismatch',
        message: expect.stringContaining(`expected ${pub.manifestDigest}`),
      });
    } finally {
      await proxy.stop();
    }
  });
});

describe('ORAS-style and index layouts', () => {
  it('pulls an ORAS manifest (empty config, artifactType, titled tar layer)', async () => {
    const target = parseReference(`oci://${reg.registry}/oras/hello:v1`);
    const wasm = fakeComponent(1000);
    const layer = await client.putBlob(target, wasm, 'application/vnd.oci.image.layer.v1.tar');
    const empty = Buffer.from('{}');
    const config = await client.putBlob(target, empty, MediaType.EmptyConfig);
    const manifest = {
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      artifactType: 'application/vnd.example.wasm',
      config,
      layers: [{ ...layer, annotations: { 'org.opencontainers.image.title': 'hello.wasm' } }],
      annotations: { 'org.opencontainers.image.created': '2025-01-01T00:00:00Z' },
    };
    await client.putManifest(target, 'v1', encodeJson(manifest), MediaType.OciManifest);
    const pulled = await pullComponent(target, { client });
    expect(pulled.digest).toBe(sha256Digest(wasm));
    expect(pulled.policyYaml).toBeUndefined();
  });

  it('picks the wasip2 entry of an index', async () => {
    const target = parseReference(`oci://${reg.registry}/multi/app:v1`);
    const wasmA = fakeComponent(300);
    const first = await publishComponent(wasmA, `oci://${reg.registry}/multi/app:a`, { client });
    const other = await publishComponent(fakeComponent(300), `oci://${reg.registry}/multi/app:b`, { client, os: 'wasip1' });
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [
        {
          mediaType: MediaType.OciManifest,
          digest: other.manifestDigest,
          size: (await client.getManifest(target, other.manifestDigest)).bytes.length,
          platform: { os: 'wasip1', architecture: 'wasm' },
        },
        {
          mediaType: MediaType.OciManifest,
          digest: first.manifestDigest,
          size: (await client.getManifest(target, first.manifestDigest)).bytes.length,
          platform: { os: 'wasip2', architecture: 'wasm' },
        },
      ],
    };
    const indexDigest = await client.putManifest(target, 'v1', encodeJson(index), MediaType.OciIndex);
    const store = new BlobStore(`${tempHome()}/blobs`);
    const pulled = await pullComponent(target, { client, store });
    expect(pulled.digest).toBe(sha256Digest(wasmA));
    expect(pulled.manifestDigest).toBe(indexDigest);
    const again = await pullComponent(`oci://${reg.registry}/multi/app@${indexDigest}`, { client, store });
    expect(again.source).toBe('cache');
    expect(again.digest).toBe(sha256Digest(wasmA));
  });
});

describe('cache', () => {
  it('serves digest pins from cache and tags from the last mapping while the registry is down', async () => {
    const own = await startRegistry();
    const store = new BlobStore(`${tempHome()}/blobs`);
    try {
      const ref = `oci://${own.registry}/cached/tool:stable`;
      const pub = await publishComponent(fakeComponent(5000), ref, { client, policyYaml: 'p: 1\n' });
      const first = await pullComponent(ref, { client, store });
      expect(first.source).toBe('registry');
      await own.stop();
      const pinned = await pullComponent(`oci://${own.registry}/cached/tool@${pub.manifestDigest}`, { client, store });
      expect(pinned.source).toBe('cache');
      expect(pinned.policyYaml).toBe('p: 1\n');
      const tagged = await pullComponent(ref, { client, store });
      expect(tagged.source).toBe('cache-offline');
      expect(tagged.warnings.join(' ')).toMatch(/unreachable/);
      await expect(pullComponent(`oci://${own.registry}/cached/tool:other`, { client, store })).rejects.toMatchObject({ code: 'network-error' });
    } finally {
      await destroyRegistry(own);
    }
  });
});

describe('throughput', () => {
  it('pulls a 12 MB component from the loopback registry', async () => {
    const wasm = fakeComponent(12 * 1024 * 1024);
    const ref = `oci://${reg.registry}/bench/big:v1`;
    const t0 = performance.now();
    await publishComponent(wasm, ref, { client });
    const t1 = performance.now();
    const pulled = await pullComponent(ref, { client });
    const t2 = performance.now();
    const store = new BlobStore(`${tempHome()}/blobs`);
    await pullComponent(ref, { client, store });
    const t3 = performance.now();
    const cached = await pullComponent(`oci://${reg.registry}/bench/big@${pulled.manifestDigest}`, { client, store });
    const t4 = performance.now();
    expect(cached.source).toBe('cache');
    expect(pulled.bytes.byteLength).toBe(wasm.byteLength);
    console.log(
      `12 MiB: publish ${(t1 - t0).toFixed(0)} ms, pull ${(t2 - t1).toFixed(0)} ms, pull+cache ${(t3 - t2).toFixed(0)} ms, cached pull ${(t4 - t3).toFixed(0)} ms`,
    );
  });
});
