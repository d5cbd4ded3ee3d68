// Item 6 attack: a policy written beside a pending component after the request must never be applied
// by the approval (from the CLI); the list shows the digest and the full recorded starting policy.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, type McpSession } from '../helpers/cli.js';

describe('policy swap while a load is pending', () => {
  const t = tempHome();
  const dir = mkdtempSync(join(tmpdir(), 'swap-'));
  let s: McpSession;
  beforeAll(async () => {
    s = await startStdioSession({ home: t.home, env: { WASSETTE_APPROVAL: 'prompt', PROBE_VAR: 'secret-value' } });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('approving from the CLI applies the policy shown, not the one written after the request', async () => {
    const wasm = join(dir, 'tool.wasm');
    copyFileSync(fixture('wasi-env'), wasm);
    const r = await call(s, 'load_component', { path: wasm });
    expect(r.structuredContent?.status).toBe('pending');
    const id = String(r.structuredContent?.request_id);

    const listed = JSON.parse((await runCli(['approvals', 'list', '--json'], { home: t.home })).stdout);
    const req = listed.requests.find((x: { id: string }) => x.id === id);
    expect(req.payload.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(req.payload.policy).toEqual({ yaml: null, digest: null, origin: null, permissions: null });
    expect(req.description).toContain(req.payload.digest);

    writeFileSync(join(dir, 'tool.policy.yaml'), 'version: "1.0"\npermissions:\n  environment:\n    allow:\n      - key: PROBE_VAR\n');
    const approved = await runCli(['approvals', 'approve', id], { home: t.home });
    expect(approved.stderr + approved.stdout).toMatch(/policy changed/);

    // Whoever carries the approval out, the environment grant the swapped policy asked for is absent.
    await expect.poll(async () => (await s.client.listTools()).tools.map((x) => x.name), { timeout: 5000 }).toContain('count_env');
    expect((await call(s, 'count_env')).structuredContent).toEqual({ result: 0 });
    const policy = await call(s, 'get_policy', { component_id: 'tool' });
    expect(String(policy.structuredContent?.policy_yaml ?? '')).not.toContain('PROBE_VAR');
  }, 30_000);
});
