// Adversarial review (server/state): approval requests must not outlive the component they were made for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { call, fixture, runCli, startStdioSession, tempHome, type McpSession } from '../helpers/cli.js';

const PROMPT = { WASSETTE_APPROVAL: 'prompt' };

describe('a pending grant request made before an unload', () => {
  const t = tempHome();
  let s: McpSession;
  const cli = (...args: string[]) => runCli(args, { home: t.home, env: PROMPT });

  beforeAll(async () => {
    expect((await cli('component', 'load', fixture('wasi-env'))).code).toBe(0);
    s = await startStdioSession({ home: t.home, env: PROMPT });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it('cannot be approved into the component loaded again under the same id', async () => {
    const r = await call(s, 'grant_environment_variable_permission', { component_id: 'wasi-env', details: { key: 'HOME' } });
    expect(r.structuredContent?.status).toBe('pending');
    const requestId = String(r.structuredContent?.request_id);

    expect((await cli('component', 'unload', 'wasi-env')).code).toBe(0);
    expect((await cli('component', 'load', fixture('wasi-env'))).code).toBe(0);

    const approved = await cli('approvals', 'approve', requestId);
    expect(approved.code).not.toBe(0);
    expect(approved.stderr).toMatch(/already expired/);
    // Give the server's background watcher time to act on a decision, if any was recorded.
    await new Promise((res) => setTimeout(res, 800));
    const policy = JSON.parse((await cli('policy', 'get', 'wasi-env', '--json')).stdout);
    expect(policy.grants).toEqual([]);
  }, 30_000);
});

describe('a request left behind by a server that stopped', () => {
  const t = tempHome();
  const cli = (...args: string[]) => runCli(args, { home: t.home, env: PROMPT });
  afterAll(() => t.cleanup());

  it('is expired, not approved into effect, once nobody has watched it for 15 minutes', async () => {
    expect((await cli('component', 'load', fixture('wasi-env'))).code).toBe(0);
    const store = openStore(t.home);
    const stale = store.approvals.create({
      kind: 'grant',
      componentId: 'wasi-env',
      payload: { kind: 'environment', key: 'HOME' },
      requestedBy: 'agent',
      createdAt: Date.now() - 16 * 60_000,
    });
    const load = store.approvals.create({ kind: 'load_component', payload: { path: '/x.wasm' }, requestedBy: 'agent', createdAt: Date.now() - 16 * 60_000 });
    store.close();

    const approved = await cli('approvals', 'approve', stale.id);
    expect(approved.code).not.toBe(0);
    expect(approved.stderr).toMatch(/already expired/);
    expect(JSON.parse((await cli('policy', 'get', 'wasi-env', '--json')).stdout).grants).toEqual([]);
    const pending = JSON.parse((await cli('approvals', 'list', '--json')).stdout).requests;
    expect(pending.map((r: { id: string }) => r.id)).not.toContain(load.id);
  }, 30_000);
});
