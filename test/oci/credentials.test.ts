// Credential sources: docker config auths/credHelpers/credsStore and the WASSETTE_REGISTRY_AUTH value.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chainCredentials,
  dockerConfigCredentials,
  normalizeRegistryKey,
  readDockerConfig,
  registryAuthValueCredentials,
  spawnHelperRunner,
} from '../../src/oci/credentials.js';
import { tempHome } from './registry-fixtures.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('normalizeRegistryKey', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['GHCR.io', 'ghcr.io'],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
  ])('%s -> %s', (k, want) => expect(normalizeRegistryKey(k)).toBe(want));
});

describe('dockerConfigCredentials', () => {
  const calls: string[] = [];
  const fakeRunner = async (helper: string, server: string) => {
    calls.push(`${helper}:${server}`);
    if (server === 'none.io') throw new Error('credentials not found in native keychain');
    return JSON.stringify(helper === 'tok' ? { Username: '<token>', Secret: 'refresh-1' } : { Username: `${helper}-user`, Secret: 'pw' });
  };
  const lookup = dockerConfigCredentials(
    {
      auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw:with:colons') }, 'r.io': { username: 'u', password: 'p' }, 'empty.io': {} },
      credHelpers: { 'gcr.io': 'gcloud', 'tok.io': 'tok' },
      credsStore: 'desktop',
    },
    fakeRunner,
  );
  it.each([
    ['docker.io', { username: 'hub', password: 'pw:with:colons' }],
    ['r.io', { username: 'u', password: 'p' }],
    ['gcr.io', { username: 'gcloud-user', password: 'pw' }],
    ['tok.io', { identityToken: 'refresh-1' }],
    ['empty.io', { username: 'desktop-user', password: 'pw' }],
    ['none.io', undefined],
  ])('%s', async (registry, want) => {
    expect(await lookup(registry)).toEqual(want);
  });

  it('runs a real docker-credential-<name> helper with the server on stdin', async () => {
    const dir = tempHome();
    const script = join(dir, 'docker-credential-fake');
    writeFileSync(script, '#!/bin/sh\nread server\necho "{\\"Username\\":\\"u-$server\\",\\"Secret\\":\\"s\\"}"\n');
    chmodSync(script, 0o755);
    const run = spawnHelperRunner(5000, (h) => join(dir, `docker-credential-${h}`));
    expect(await dockerConfigCredentials({ credsStore: 'fake' }, run)('x.io:5000')).toEqual({ username: 'u-x.io:5000', password: 's' });
  });

  it('reads config.json from a directory, undefined when absent', async () => {
    const dir = tempHome();
    expect(await readDockerConfig(dir)).toBeUndefined();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { 'a.io': { auth: b64('x:y') } } }));
    expect(await dockerConfigCredentials((await readDockerConfig(dir)) ?? {})('a.io')).toEqual({ username: 'x', password: 'y' });
  });
});

describe('registryAuthValueCredentials', () => {
  const lookup = registryAuthValueCredentials(JSON.stringify({ 'h.io': { token: 't' }, 'h.io:5000': { username: 'a', password: 'b' } }));
  it.each([
    ['h.io', { token: 't' }],
    ['h.io:5000', { username: 'a', password: 'b' }],
    ['h.io:6000', { token: 't' }],
    ['other.io', undefined],
  ])('%s', async (registry, want) => expect(await lookup(registry)).toEqual(want));

  it.each([
    ['not json', 'must be JSON'],
    ['[]', 'JSON object'],
    ['{"h.io": {"password": "secret-value"}}', 'entry "h.io"'],
  ])('rejects %s', (value, msg) => {
    let err: Error | undefined;
    try {
      registryAuthValueCredentials(value);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toContain(msg);
    expect(err?.message).not.toContain('secret-value');
  });

  it('chains: first hit wins', async () => {
    const c = chainCredentials(registryAuthValueCredentials('{}'), lookup);
    expect(await c('h.io')).toEqual({ token: 't' });
  });
});
