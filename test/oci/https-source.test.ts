// fetchHttps against a loopback http server: pins, cache, redirects, size caps, scheme rules.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/oci/blob-store.js';
import { fetchHttps } from '../../src/oci/https-source.js';
import { sha256Digest } from '../../src/oci/digest.js';
import { fakeComponent, tempHome } from './registry-fixtures.js';

const wasm = fakeComponent(3000);
const hex = sha256Digest(wasm).slice(7);
let server: Server;
let base: string;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const path = req.url ?? '/';
    if (path === '/c.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
    else if (path.startsWith('/hop/')) {
      const n = Number(path.slice(5));
      res.writeHead(302, { location: n > 0 ? `/hop/${n - 1}` : '/c.wasm' }).end();
    } else if (path === '/to-remote-http') res.writeHead(302, { location: 'http://example.com/c.wasm' }).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('fetchHttps', () => {
  it('downloads, verifies the pin, caches, and serves the pin from cache afterwards', async () => {
    const store = BlobStore.forHome(tempHome());
    const url = `${base}/c.wasm#sha256=${hex}`;
    const first = await fetchHttps(url, { cacheStore: store });
    expect(first.source).toBe('network');
    expect(first.digest).toBe(`sha256:${hex}`);
    const before = hits;
    const second = await fetchHttps(url, { cacheStore: store });
    expect(second.source).toBe('cache');
    expect(hits).toBe(before);
    expect(Buffer.from(second.bytes).equals(Buffer.from(wasm))).toBe(true);
  });

  it('refuses a wrong pin and caches nothing', async () => {
    const store = BlobStore.forHome(tempHome());
    await expect(fetchHttps(`${base}/c.wasm#sha256=${'0'.repeat(64)}`, { cacheStore: store })).rejects.toMatchObject({ code: 'digest-mismatch' });
    expect(await store.has(`sha256:${hex}`)).toBe(false);
  });

  it('follows a few redirects and stops at the limit', async () => {
    expect((await fetchHttps(`${base}/hop/2`)).url).toBe(`${base}/c.wasm`);
    await expect(fetchHttps(`${base}/hop/9`, { maxRedirects: 3 })).rejects.toThrow(/too many redirects/);
  });

  it.each([
    ['http://example.com/x.wasm', 'only allowed for loopback'],
    ['ftp://h.io/x.wasm', 'unsupported scheme'],
  ])('refuses %s before any request', async (url, msg) => {
    await expect(fetchHttps(url)).rejects.toThrow(msg);
  });

  it('refuses a redirect to plain http on a remote host', async () => {
    await expect(fetchHttps(`${base}/to-remote-http`)).rejects.toThrow(/only allowed for loopback/);
  });

  it('enforces the size cap and reports 404', async () => {
    await expect(fetchHttps(`${base}/c.wasm`, { maxBytes: 100 })).rejects.toMatchObject({ code: 'size-limit' });
    await expect(fetchHttps(`${base}/missing.wasm`)).rejects.toMatchObject({ code: 'not-found' });
  });
});
