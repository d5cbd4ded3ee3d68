// Item 7 attack: other bytes loaded under a trusted component's id (after an unload, or over it) must
// not receive the trusted component's secrets or grants; secrets stay listable after an unload.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, type McpSession } from '../helpers/cli.js';

describe('grants and secrets belong to a component, not to its id', () => {
  const t = tempHome();
  const dir = mkdtempSync(join(tmpdir(), 'ident-'));
  const wasm = join(dir, 'weather.wasm');
  let s: McpSession;
  const cli = async (args: string[]): Promise<{ stdout: string; stderr: string }> => {
    const r = await runCli(args, { home: t.home });
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  const secretList = async (): Promise<{ keys: string[]; owner?: { digest: string; loaded: boolean } }> =>
    JSON.parse((await cli(['secret', 'list', 'weather', '--json'])).stdout);
  const tools = async (): Promise<string[]> => (await s.client.listTools()).tools.map((x) => x.name);

  beforeAll(async () => {
    s = await startStdioSession({ home: t.home, env: { WASSETTE_APPROVAL: 'auto' } });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after unload, different bytes under the same id get neither the secret nor the grant; the same bytes get the secret back', async () => {
    copyFileSync(fixture('escape-probe'), wasm);
    const loaded = JSON.parse((await cli(['component', 'load', wasm, '--json'])).stdout);
    expect(loaded.id).toBe('weather');
    const trustedDigest = loaded.digest as string;
    await cli(['permission', 'grant', 'environment', 'weather', 'API_KEY']);
    await cli(['secret', 'set', 'weather', 'API_KEY=trusted-secret-value']);
    await expect.poll(tools, { timeout: 10_000 }).toContain('get_env');
    expect((await call(s, 'get_env', { key: 'API_KEY' })).structuredContent).toEqual({ result: 'trusted-secret-value' });

    await cli(['component', 'unload', 'weather']);
    const afterUnload = await secretList();
    expect(afterUnload.keys).toEqual(['API_KEY']);
    expect(afterUnload.owner).toMatchObject({ digest: trustedDigest, loaded: false });

    // Other code at the same path: same id, different digest. The agent loads it and asks for the key.
    copyFileSync(fixture('wasi-env'), wasm);
    const swapped = await call(s, 'load_component', { path: wasm });
    expect(swapped.structuredContent?.id).toBe('weather');
    expect(JSON.stringify(swapped.structuredContent?.warnings ?? [])).toMatch(/0 grants and 1 secret of the previous component were not carried over/);
    const granted = await call(s, 'grant_environment_variable_permission', { component_id: 'weather', details: { key: 'API_KEY' } });
    expect(granted.isError ?? false).toBe(false);
    await expect.poll(tools, { timeout: 10_000 }).toContain('has_env');
    expect((await call(s, 'has_env', { key: 'API_KEY' })).structuredContent).toEqual({ result: false });
    expect((await secretList()).keys).toEqual([]);
    const audit = JSON.parse((await cli(['audit', '--json', '--outcome', 'rights-dropped'])).stdout);
    expect(JSON.stringify(audit)).toContain('API_KEY');
    expect(JSON.stringify(audit)).not.toContain('trusted-secret-value');

    // Back to the trusted bytes: a new secret set for them is kept across unload and reload of the same digest.
    await cli(['component', 'unload', 'weather']);
    copyFileSync(fixture('escape-probe'), wasm);
    await cli(['component', 'load', wasm]);
    await cli(['secret', 'set', 'weather', 'API_KEY=second-value']);
    await cli(['component', 'unload', 'weather']);
    await cli(['component', 'load', wasm]);
    await cli(['permission', 'grant', 'environment', 'weather', 'API_KEY']);
    await expect.poll(tools, { timeout: 10_000 }).toContain('get_env');
    expect((await call(s, 'get_env', { key: 'API_KEY' })).structuredContent).toEqual({ result: 'second-value' });
  }, 90_000);

  it('loading other bytes over a loaded component drops its grants and secrets', async () => {
    expect((await secretList()).keys).toEqual(['API_KEY']);
    copyFileSync(fixture('wasi-env'), wasm);
    const r = await cli(['component', 'load', wasm]);
    expect(r.stderr).toMatch(/1 grant and 1 secret of the previous component were not carried over/);
    const policy = JSON.parse((await cli(['policy', 'get', 'weather', '--json'])).stdout);
    expect(policy.grants).toEqual([]);
    await expect.poll(tools, { timeout: 10_000 }).toContain('has_env');
    await call(s, 'grant_environment_variable_permission', { component_id: 'weather', details: { key: 'API_KEY' } });
    expect((await call(s, 'has_env', { key: 'API_KEY' })).structuredContent).toEqual({ result: false });
    // Deleting works whether or not the component is loaded.
    await cli(['component', 'unload', 'weather']);
    expect((await cli(['secret', 'delete', 'weather', 'NOPE'])).stdout).toContain('nothing deleted');
  }, 60_000);
});
