// load_tool keeps the call open while the user decides when the client sent a progress token: progress
// notifications arrive while it waits, and a decision made in another process (the CLI here) ends the call with
// the outcome: the new tools (announced with list_changed) or a denial. Without a token it answers pending at once.
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, fixture, runCli, startStdioSession, tempHome, type McpSession } from '../helpers/cli.js';

const ENV = { WASSETTE_APPROVAL: 'prompt', WASSETTE_LOAD_TOOL_WAIT_MS: '60000' };

async function pendingId(home: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const list = JSON.parse((await runCli(['approvals', 'list', '--json'], { home, env: ENV })).stdout);
    if (list.requests.length > 0) return list.requests[0].id;
    await sleep(200);
  }
  throw new Error('no pending request appeared');
}

describe('load_tool waiting with progress', () => {
  const t = tempHome('wassette-wait-');
  let s: McpSession;
  beforeAll(async () => {
    s = await startStdioSession({ home: t.home, env: ENV });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  const waitingCall = (path: string, progress: string[]) =>
    s.client.callTool({ name: 'load_tool', arguments: { ref: path, reason: 'test' } }, CallToolResultSchema, {
      onprogress: (p) => progress.push(String(p.message)),
      resetTimeoutOnProgress: true,
      timeout: 90_000,
    });

  it('stays open with progress, and answers with the tools once the user approves from the CLI', async () => {
    const progress: string[] = [];
    const before = s.listChanged();
    const pendingCall = waitingCall(fixture('text-tools'), progress);
    const id = await pendingId(t.home);
    await sleep(300);
    expect(progress.some((m) => m.includes(`waiting for the user to decide (wassette approvals, request ${id})`))).toBe(true);
    const ok = await runCli(['approvals', 'approve', id], { home: t.home, env: ENV });
    expect(ok.code, ok.stderr).toBe(0);
    const r = await pendingCall;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ status: 'loaded', component_id: 'text-tools' });
    expect((r.structuredContent as { tools: string[] }).tools.length).toBeGreaterThan(0);
    expect(progress).toContain('approved; loading');
    expect(s.listChanged()).toBeGreaterThan(before);
  }, 90_000);

  it('answers denied once the user denies', async () => {
    const progress: string[] = [];
    const pendingCall = waitingCall(fixture('kv-store'), progress);
    const id = await pendingId(t.home);
    expect((await runCli(['approvals', 'deny', id], { home: t.home, env: ENV })).code).toBe(0);
    expect((await pendingCall).structuredContent).toMatchObject({ status: 'denied', request_id: id });
  }, 90_000);

  it('a cancelled wait ends the call at once, leaves the request pending, and the server keeps serving', async () => {
    const stop = new AbortController();
    const pendingCall = s.client.callTool({ name: 'load_tool', arguments: { ref: fixture('resources') } }, CallToolResultSchema, {
      onprogress: () => undefined,
      signal: stop.signal,
      timeout: 90_000,
    });
    const id = await pendingId(t.home);
    const t0 = Date.now();
    stop.abort();
    await expect(pendingCall).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(5000);
    const status = await call(s, 'approval_status', { request_id: id });
    expect(status.structuredContent?.status).toBe('pending');
    expect((await runCli(['approvals', 'deny', id], { home: t.home, env: ENV })).code).toBe(0);
    expect((await call(s, 'list_components', {})).isError).toBeFalsy();
  }, 90_000);

  it('without a progress token it answers pending at once', async () => {
    const r = await call(s, 'load_tool', { ref: fixture('docs') });
    expect(r.structuredContent?.status).toBe('pending');
  }, 30_000);
});
