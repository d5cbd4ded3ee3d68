// Adversarial review (server/state): approval requests must not outlive the component they were made for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
