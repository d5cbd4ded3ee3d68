// Hostile registry transport: bodies that stall or trickle, and redirects from https down to http.
import { createHash } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/oci/client.js';
import { pullComponent } from '../../src/oci/pull.js';
import { fakeComponent } from './registry-fixtures.js';

const sha = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const wasm = fakeComponent(64);
const manifest = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.wasm.config.v0+json', digest: sha(Buffer.from('{}')), size: 2 },
    layers: [{ mediaType: 'application/wasm', digest: sha(wasm), size: wasm.byteLength }],
  }),
);

const megabyte = Buffer.alloc(1 << 20, 0x61);
/** Writes `prefix` then filler for as long as the client reads (or, with `stall`, nothing more). */
function endless(res: ServerResponse, status: number, prefix: string, stall = false): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.write(prefix);
  if (stall) return;
  const pump = (): void => {
    while (!res.destroyed && res.write(megabyte)) {
      // keep the socket buffer full
    }
  };
  res.on('drain', pump);
  pump();
}

/** Each repository name picks a misbehaviour. */
const behaviours: Record<string, (kind: 'manifest' | 'blob', res: ServerResponse) => void> = {
  'stall-manifest': (kind, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    if (kind === 'manifest') res.write(manifest.subarray(0, 10));
    else res.end(wasm);
  },
  'stall-blob': (kind, res) => {
    res.writeHead(200);
    if (kind === 'manifest') res.end(manifest);
    else res.write(wasm.subarray(0, 3));
  },
  'endless-error': (_kind, res) => endless(res, 500, '{"errors":[{"code":"X","message":"'),
  'stalled-error': (_kind, res) => endless(res, 500, '{"errors":[{"code":"X","message":"', true),
  'endless-401': (_kind, res) => {
    res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${registry}/token",service="x"` });
    const pump = (): void => {
      while (!res.destroyed && res.write(megabyte)) {
        // keep the socket buffer full
      }
    };
    res.on('drain', pump);
    pump();
  },
  'trickle-manifest': (kind, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    if (kind === 'blob') return void res.end(wasm);
    let i = 0;
    const t = setInterval(() => {
      if (res.destroyed || i >= manifest.length) {
        clearInterval(t);
        res.end();
        return;
      }
      res.write(manifest.subarray(i, i + 4));
      i += 4;
    }, 50);
  },
};

let server: Server;
let registry: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/token')) return endless(res, 200, '{"token":"');
    const m = /^\/v2\/t\/([a-z0-9-]+)\/(manifests|blobs)\//.exec(req.url ?? '');
    const behave = m?.[1] ? behaviours[m[1]] : undefined;
    if (!behave) return void res.writeHead(404).end();
    behave(m?.[2] === 'manifests' ? 'manifest' : 'blob', res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('bodies that stop or crawl', () => {
  it.each(['stall-manifest', 'stall-blob', 'trickle-manifest'])('%s ends in a timeout error naming the registry', async (repo) => {
    const client = new RegistryClient({ timeoutMs: 300 });
    const started = Date.now();
    const err = await pullComponent(`oci://${registry}/t/${repo}:1`, { client }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    expect((err as Error).message).toMatch(new RegExp(`${registry}|manifest t/${repo}`));
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('bodies that never end', () => {
  it.each([
    ['endless-error', /HTTP 500/],
    ['stalled-error', /HTTP 500/],
    ['endless-401', /token service .* oversized or unfinished/],
  ])('%s is cut short without buffering it', async (repo, message) => {
    const client = new RegistryClient({ timeoutMs: 20_000 });
    const before = process.memoryUsage().rss;
    const started = Date.now();
    await expect(client.getManifest({ registry, repository: `t/${repo}` }, '1')).rejects.toMatchObject({ message: expect.stringMatching(message) });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });
});

describe('redirects', () => {
  const redirectedTo =
    (url: string): typeof fetch =>
    async () => {
      const r = new Response(manifest, { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
      Object.defineProperty(r, 'redirected', { value: true });
      Object.defineProperty(r, 'url', { value: url });
      return r;
    };

  it('refuses an https registry redirecting to plain http', async () => {
    const client = new RegistryClient({ fetch: redirectedTo('http://cdn.example.com/m') });
    await expect(client.getManifest({ registry: 'registry.example.com', repository: 't/x' }, '1')).rejects.toMatchObject({
      code: 'network-error',
      message: expect.stringMatching(/redirected to http:\/\/cdn\.example\.com, which is not https/),
    });
  });

  it.each([
    ['another https host', 'https://cdn.example.com/m', []],
    ['an http host listed as insecure', 'http://mirror.internal:5000/m', ['mirror.internal:5000']],
  ])('follows a redirect to %s', async (_what, url, insecure) => {
    const client = new RegistryClient({ fetch: redirectedTo(url), insecureRegistries: insecure });
    const got = await client.getManifest({ registry: 'registry.example.com', repository: 't/x' }, '1');
    expect(got.digest).toBe(sha(manifest));
  });
});
