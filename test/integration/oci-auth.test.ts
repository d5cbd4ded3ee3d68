// A registry with htpasswd auth: credentials from WASSETTE_REGISTRY_AUTH and from a docker config.json (DOCKER_CONFIG).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, text } from '../helpers/cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';

const USER = 'publisher';
const PASSWORD = 's3cret-pw';

function dockerConfigDir(root: string, name: string, auths: Record<string, { auth: string }>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths }));
  return dir;
}

describe('registry with htpasswd auth', () => {
  let reg: RunningRegistry;
  const home = tempHome();
  let ref = '';
  let noCreds: Record<string, string>;

  beforeAll(async () => {
    reg = await startRegistry({ auth: { user: USER, password: PASSWORD } });
    ref = `oci://${reg.registry}/private/all-types:1`;
    // An empty docker config, so the developer's ~/.docker never leaks into the test.
    noCreds = { DOCKER_CONFIG: dockerConfigDir(home.home, 'docker-empty', {}) };
  });
  afterAll(async () => {
    await destroyRegistry(reg);
    home.cleanup();
  });

  it('refuses to publish without credentials, naming the registry', async () => {
    const r = await runCli(['publish', fixture('all-types'), ref], { home: home.home, env: noCreds });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(reg.registry);
    expect(r.stderr).toMatch(/requires a username and password|denied|unauthori[sz]ed/i);
  });

  it('publishes with WASSETTE_REGISTRY_AUTH', async () => {
    const auth = JSON.stringify({ [reg.registry]: { username: USER, password: PASSWORD } });
    const r = await runCli(['publish', fixture('all-types'), ref], { home: home.home, env: { ...noCreds, WASSETTE_REGISTRY_AUTH: auth } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/@sha256:/);
  });

  it('loads over MCP with credentials from a docker config.json', async () => {
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    const DOCKER_CONFIG = dockerConfigDir(home.home, 'docker-good', { [reg.registry]: { auth } });
    const s = await startStdioSession({ home: home.home, env: { DOCKER_CONFIG } });
    try {
      const r = await call(s, 'load_component', { path: ref });
      expect(r.isError, text(r)).toBeFalsy();
      expect((await call(s, 'greet', { name: 'auth' })).structuredContent).toEqual({ result: 'hello, auth' });
    } finally {
      await s.close();
    }
  });

  it('reports wrong and missing credentials on load without registering anything', async () => {
    const other = tempHome();
    try {
      const bad = Buffer.from(`${USER}:wrong`).toString('base64');
      const s = await startStdioSession({
        home: other.home,
        env: { DOCKER_CONFIG: dockerConfigDir(other.home, 'docker-bad', { [reg.registry]: { auth: bad } }) },
      });
      try {
        const r = await call(s, 'load_component', { path: ref });
        expect(r.isError).toBe(true);
        expect(text(r)).toContain(reg.registry);
        expect(text(r)).toMatch(/requires a username and password|denied|unauthori[sz]ed/i);
        expect((await call(s, 'list_components')).structuredContent?.components).toEqual([]);
      } finally {
        await s.close();
      }
      const cli = await runCli(['component', 'load', ref], { home: other.home, env: noCreds });
      expect(cli.code).not.toBe(0);
      expect(cli.stderr).toMatch(/^wassette: .*requires a username and password; add them to WASSETTE_REGISTRY_AUTH/);
    } finally {
      other.cleanup();
    }
  });
});
