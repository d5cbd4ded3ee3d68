// Tampered registry content (through a byte-flipping proxy) is refused with a clear error, and nothing is registered or cached.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { startTamperProxy, type TamperProxy } from '../helpers/tamper-proxy.js';

function cachedBlobs(home: string): string[] {
  const dir = join(home, 'blobs', 'sha256');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('tampered registry content', () => {
  let reg: RunningRegistry;
  let blobProxy: TamperProxy;
  let manifestProxy: TamperProxy;
  const home = tempHome();
  let session: McpSession;

  beforeAll(async () => {
    reg = await startRegistry();
    const pub = await runCli(['publish', fixture('all-types'), `oci://${reg.registry}/tools/all-types:1`], { home: home.home });
    if (pub.code !== 0) throw new Error(pub.stderr);
    // Only the component layer (the largest blob) is altered; manifests pass through untouched.
    blobProxy = await startTamperProxy(reg.url);
    manifestProxy = await startTamperProxy(reg.url, { shouldTamper: (m, p) => m === 'GET' && /\/manifests\/1$/.test(p) });
    session = await startStdioSession({ home: home.home });
  });
  afterAll(async () => {
    await session.close();
    await blobProxy.stop();
    await manifestProxy.stop();
    await destroyRegistry(reg);
    home.cleanup();
  });

  it('refuses an altered layer with a digest error naming the layer', async () => {
    const r = await call(session, 'load_component', { path: `oci://${blobProxy.registry}/tools/all-types:1` });
    expect(r.isError).toBe(true);
    expect(blobProxy.tampered()).toBeGreaterThan(0);
    expect(text(r)).toMatch(/sha256:[a-f0-9]{64}/);
    expect(text(r)).toMatch(/digest|hash/i);
    const list = await call(session, 'list_components');
    expect(list.structuredContent?.components).toEqual([]);
    expect(cachedBlobs(home.home)).toEqual([]);
    const { tools } = await session.client.listTools();
    expect(tools.some((t) => t.name === 'greet')).toBe(false);
  });

  it('refuses an altered manifest (the registry-declared digest no longer matches)', async () => {
    const r = await call(session, 'load_component', { path: `oci://${manifestProxy.registry}/tools/all-types:1` });
    expect(r.isError).toBe(true);
    expect(manifestProxy.tampered()).toBeGreaterThan(0);
    expect(text(r)).toMatch(/manifest/i);
    expect(cachedBlobs(home.home)).toEqual([]);
  });

  it('still loads the untouched content straight from the registry afterwards', async () => {
    const r = await call(session, 'load_component', { path: `oci://${reg.registry}/tools/all-types:1` });
    expect(r.isError, text(r)).toBeFalsy();
    expect((await call(session, 'greet', { name: 'x' })).structuredContent).toEqual({ result: 'hello, x' });
  });
});
