// RegistryClient against a real docker-registry: catalog/tags pagination, referrers fallback, htpasswd auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/oci/client.js';
import { registryAuthValueCredentials } from '../../src/oci/credentials.js';
import { encodeJson } from '../../src/oci/manifest.js';
import { MediaType } from '../../src/oci/media-types.js';
import { publishComponent } from '../../src/oci/publish.js';
import { pullComponent } from '../../src/oci/pull.js';
import { parseReference } from '../../src/oci/reference.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { fakeComponent } from './registry-fixtures.js';

let reg: RunningRegistry;
let authReg: RunningRegistry;

beforeAll(async () => {
  [reg, authReg] = await Promise.all([startRegistry(), startRegistry({ auth: { user: 'alice', password: 's3cret' } })]);
});
afterAll(async () => {
  await Promise.all([destroyRegistry(reg), destroyRegistry(authReg)]);
});

describe('catalog and tags', () => {
  it('follows Link pagination for both', async () => {
    const client = new RegistryClient({ pageSize: 2 });
    for (const name of ['a/one', 'a/two', 'b/three']) await publishComponent(fakeComponent(), `oci://${reg.registry}/${name}:v1`, { client });
    for (const tag of ['v2', 'v3', 'latest']) await publishComponent(fakeComponent(), `oci://${reg.registry}/a/one:${tag}`, { client });
    expect((await client.catalog(reg.registry)).sort()).toEqual(['a/one', 'a/two', 'b/three']);
    expect((await client.listTags(parseReference(`${reg.registry}/a/one`))).sort()).toEqual(['latest', 'v1', 'v2', 'v3']);
  });

  it('resolves a tag to a digest with HEAD', async () => {
    const client = new RegistryClient();
    const pub = await publishComponent(fakeComponent(), `oci://${reg.registry}/head/x:v1`, { client });
    expect((await client.resolve(parseReference(`${reg.registry}/head/x`), 'v1'))?.digest).toBe(pub.manifestDigest);
    expect(await client.resolve(parseReference(`${reg.registry}/head/x`), 'nope')).toBeUndefined();
  });
});

describe('referrers', () => {
  it('falls back to the sha256-<hex> tag when the registry has no referrers API', async () => {
    const client = new RegistryClient();
    const target = parseReference(`${reg.registry}/signed/tool`);
    const pub = await publishComponent(fakeComponent(), `oci://${reg.registry}/signed/tool:v1`, { client });
    expect(await client.referrers(target, pub.manifestDigest)).toEqual([]);
    const sigManifest = encodeJson({
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      artifactType: 'application/vnd.example.sig',
      config: await client.putBlob(target, Buffer.from('{}'), MediaType.EmptyConfig),
      layers: [],
    });
    const sigDigest = await client.putManifest(target, 'sig1', sigManifest, MediaType.OciManifest);
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [{ mediaType: MediaType.OciManifest, digest: sigDigest, size: sigManifest.byteLength, artifactType: 'application/vnd.example.sig' }],
    };
    await client.putManifest(target, pub.manifestDigest.replace(':', '-'), encodeJson(index), MediaType.OciIndex);
    expect((await client.referrers(target, pub.manifestDigest)).map((d) => d.digest)).toEqual([sigDigest]);
    expect(await client.referrers(target, pub.manifestDigest, 'application/other')).toEqual([]);
  });
});

describe('htpasswd (Basic) auth', () => {
  it('is refused without credentials, with a message naming the registry', async () => {
    const client = new RegistryClient();
    await expect(client.listTags(parseReference(`${authReg.registry}/x/y`))).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining(authReg.registry),
    });
  });

  it('is refused with the wrong password, without echoing it', async () => {
    const client = new RegistryClient({
      credentials: registryAuthValueCredentials(JSON.stringify({ [authReg.registry]: { username: 'alice', password: 'wrong-pass' } })),
    });
    const err = await client.catalog(authReg.registry).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'unauthorized' });
    expect(String((err as Error).message)).not.toContain('wrong-pass');
  });

  it('publishes and pulls with credentials', async () => {
    const credentials = registryAuthValueCredentials(JSON.stringify({ '127.0.0.1': { username: 'alice', password: 's3cret' } }));
    const client = new RegistryClient({ credentials });
    const wasm = fakeComponent(1234);
    const ref = `oci://${authReg.registry}/private/tool:v1`;
    await publishComponent(wasm, ref, { client });
    const pulled = await pullComponent(ref, { client });
    expect(Buffer.from(pulled.bytes).equals(Buffer.from(wasm))).toBe(true);
    expect(await client.catalog(authReg.registry)).toContain('private/tool');
  });
});
