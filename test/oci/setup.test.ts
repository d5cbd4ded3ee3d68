// createRegistryClient / registryCredentials: source precedence; plus the transport's timeout and scheme rules.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemeFor } from '../../src/oci/registry-http.js';
import { createRegistryClient, registryCredentials } from '../../src/oci/setup.js';
import { tempHome } from './registry-fixtures.js';

describe('registryCredentials', () => {
  it('prefers WASSETTE_REGISTRY_AUTH over the docker config, and falls back to it', async () => {
    const dir = tempHome();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ auths: { 'a.io': { username: 'docker', password: 'd' }, 'b.io': { username: 'docker', password: 'd' } } }),
    );
    const lookup = await registryCredentials({ registryAuthValue: '{"a.io": {"token": "t"}}', dockerConfigDir: dir });
    expect(await lookup('a.io')).toEqual({ token: 't' });
    expect(await lookup('b.io')).toEqual({ username: 'docker', password: 'd' });
    expect(await lookup('c.io')).toBeUndefined();
  });

  it('ignores docker config when told to', async () => {
    expect(await (await registryCredentials({ dockerConfigDir: null }))('a.io')).toBeUndefined();
  });
});

describe('schemeFor', () => {
  it.each([
    ['127.0.0.1:5000', [], 'http'],
    ['localhost', [], 'http'],
    ['ghcr.io', [], 'https'],
    ['reg.lan:5000', ['reg.lan:5000'], 'http'],
    ['reg.lan:5000', ['reg.lan'], 'http'],
    ['reg.lan:5000', ['other.lan'], 'https'],
  ])('%s with %j -> %s', (registry, insecure, want) => expect(schemeFor(registry, insecure)).toBe(want));
});

describe('timeouts', () => {
  let server: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers.
    server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });

  it('gives up on a registry that does not answer', async () => {
    const port = (server.address() as { port: number }).port;
    const client = await createRegistryClient({ dockerConfigDir: null, timeoutMs: 300 });
    const t0 = Date.now();
    await expect(client.catalog(`127.0.0.1:${port}`)).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining(`127.0.0.1:${port}`) });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
