// An agent that asks for the same tool (or the same grant) again while the user has not decided yet (a retry loop,
// or another server on the same home) is pointed at the request already waiting: one request per artifact or grant,
// so repeats neither bury the queue nor use up its room (100 pending) for every other agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const PROMPT = { WASSETTE_APPROVAL: 'prompt' };

describe('load_tool asked again while its request waits', () => {
  const t = tempHome('wassette-repeat-');
  let a: McpSession;
  let b: McpSession;
  beforeAll(async () => {
    [a, b] = await Promise.all([startStdioSession({ home: t.home, env: PROMPT }), startStdioSession({ home: t.home, env: PROMPT })]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    t.cleanup();
  });

  const pending = async (): Promise<Array<{ id: string }>> =>
    JSON.parse((await runCli(['approvals', 'list', '--json'], { home: t.home, env: PROMPT })).stdout).requests;

  it('answers with the waiting request, from this server and from another one on the same home', async () => {
    const first = await call(a, 'load_tool', { ref: fixture('docs'), reason: 'first ask' });
    expect(first.structuredContent?.status, text(first)).toBe('pending');
    const id = first.structuredContent?.request_id;
    for (let i = 0; i < 120; i++) {
      const again = await call(a, 'load_tool', { ref: fixture('docs'), reason: `retry ${i}` });
      expect(again.structuredContent, text(again)).toMatchObject({ status: 'pending', request_id: id });
    }
    const other = await call(b, 'load_tool', { ref: fixture('docs') });
    expect(other.structuredContent, text(other)).toMatchObject({ status: 'pending', request_id: id });
    expect((await pending()).map((r) => r.id)).toEqual([id]);
  }, 60_000);

  it('asks anew once that request is decided, and for another artifact at once', async () => {
    const id = (await pending())[0]?.id as string;
    expect((await runCli(['approvals', 'deny', id], { home: t.home, env: PROMPT })).code).toBe(0);
    const next = await call(a, 'load_tool', { ref: fixture('docs') });
    expect(next.structuredContent?.status, text(next)).toBe('pending');
    expect(next.structuredContent?.request_id).not.toBe(id);
    const another = await call(a, 'load_tool', { ref: fixture('text-tools') });
    expect(another.structuredContent?.request_id).not.toBe(next.structuredContent?.request_id);
    expect(await pending()).toHaveLength(2);
  }, 60_000);
});

describe('a grant asked again while its request waits', () => {
  const t = tempHome('wassette-repeat-grant-');
  let s: McpSession;
  beforeAll(async () => {
    const loaded = await runCli(['component', 'load', fixture('wasi-env')], { home: t.home, env: PROMPT });
    expect(loaded.code, loaded.stderr).toBe(0);
    s = await startStdioSession({ home: t.home, env: PROMPT });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it('answers with the waiting request; another grant is a request of its own', async () => {
    const ask = (key: string) => call(s, 'grant_environment_variable_permission', { component_id: 'wasi-env', details: { key } });
    const first = await ask('HOME');
    expect(first.structuredContent?.status, text(first)).toBe('pending');
    for (let i = 0; i < 110; i++) {
      const again = await ask('HOME');
      expect(again.structuredContent, text(again)).toMatchObject({ status: 'pending', request_id: first.structuredContent?.request_id });
    }
    const other = await ask('LANG');
    expect(other.structuredContent?.request_id).not.toBe(first.structuredContent?.request_id);
    const list = JSON.parse((await runCli(['approvals', 'list', '--json'], { home: t.home, env: PROMPT })).stdout).requests;
    expect(list).toHaveLength(2);
    const ok = await runCli(['approvals', 'approve', first.structuredContent?.request_id], { home: t.home, env: PROMPT });
    expect(ok.code, ok.stderr).toBe(0);
  }, 60_000);
});
