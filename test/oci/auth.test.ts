// Bearer token flow against a local node registry stub + token server; WWW-Authenticate parsing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChallenge } from '../../src/oci/auth.js';
import { RegistryClient } from '../../src/oci/client.js';
import { registryAuthValueCredentials } from '../../src/oci/credentials.js';

describe('parseChallenge', () => {
  it.each([
    ['Basic realm="wassette-test"', { scheme: 'basic', params: { realm: 'wassette-test' } }],
    [
      'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull"',
      { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull' } },
    ],
    ['Bearer realm=https://x/t, service=x', { scheme: 'bearer', params: { realm: 'https://x/t', service: 'x' } }],
    ['Bearer realm="a\\"b"', { scheme: 'bearer', params: { realm: 'a"b' } }],
  ])('%s', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });
});

// A registry stub that requires `Bearer good-<scope>` and a token server issuing it (anonymous: pull only on public/*).
let server: Server;
let base: string;
const tokenRequests: { scope: string | null; auth: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      const scope = url.searchParams.get('scope');
      const auth = req.headers.authorization;
      tokenRequests.push({ scope, auth });
      const anonymousOk = scope?.startsWith('repository:public/') && scope.endsWith(':pull');
      const userOk = auth === `Basic ${Buffer.from('bob:hunter2').toString('base64')}`;
      if (!anonymousOk && !userOk) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `good-${scope}`, expires_in: 300 }));
      return;
    }
    const m = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    const repo = m?.[1] ?? '';
    const scope = `repository:${repo}:pull`;
    if (req.headers.authorization !== `Bearer good-${scope}`) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="stub",scope="${scope}"`, 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: repo, tags: ['v1'] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const target = (repo: string) => ({ registry: base.slice('http://'.length), repository: repo });

describe('Bearer token flow', () => {
  it('gets an anonymous token for a public repository and reuses it per scope', async () => {
    const client = new RegistryClient();
    tokenRequests.length = 0;
    expect(await client.listTags(target('public/tool'))).toEqual(['v1']);
    expect(await client.listTags(target('public/tool'))).toEqual(['v1']);
    expect(tokenRequests).toEqual([{ scope: 'repository:public/tool:pull', auth: undefined }]);
  });

  it('is unauthorized for a private repository without credentials', async () => {
    await expect(new RegistryClient().listTags(target('private/tool'))).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('uses credentials at the token endpoint', async () => {
    const credentials = registryAuthValueCredentials(JSON.stringify({ [target('x').registry]: { username: 'bob', password: 'hunter2' } }));
    const client = new RegistryClient({ credentials });
    tokenRequests.length = 0;
    expect(await client.listTags(target('private/tool'))).toEqual(['v1']);
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.auth).toMatch(/^Basic /);
  });

  it('rejects wrong credentials without echoing them', async () => {
    const credentials = registryAuthValueCredentials(JSON.stringify({ [target('x').registry]: { username: 'bob', password: 'not-it' } }));
    const err = await new RegistryClient({ credentials }).listTags(target('private/tool')).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'unauthorized' });
    expect((err as Error).message).not.toContain('not-it');
  });

  it('sends a caller-supplied token directly', async () => {
    const token = 'good-repository:private/direct:pull';
    const credentials = registryAuthValueCredentials(JSON.stringify({ [target('x').registry]: { token } }));
    tokenRequests.length = 0;
    expect(await new RegistryClient({ credentials }).listTags(target('private/direct'))).toEqual(['v1']);
    expect(tokenRequests).toHaveLength(0);
  });
});
