// End to end through the real stdio server: a client that cancels a running call (notifications/cancelled, sent by
// the SDK when the request's signal aborts) stops the component's worker; the component answers its next call at
// once instead of after the spinning call's time limit, and the audit log records the call as cancelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const t = tempHome();
let s: McpSession;
// Far longer than the test waits: if the worker kept spinning, the next call would queue behind it this long.
const LIMIT_MS = 60_000;

beforeAll(async () => {
  s = await startStdioSession({ home: t.home, env: { WASSETTE_CALL_TIMEOUT_MS: String(LIMIT_MS) } });
  const r = await call(s, 'load_component', { path: fixture('spin') });
  expect(r.isError, text(r)).toBeFalsy();
}, 60_000);

afterAll(async () => {
  await s?.close();
  t.cleanup();
});

describe('cancellation', () => {
  it('a cancelled call stops its worker; the next call runs on a fresh instance right away', async () => {
    expect((await call(s, 'ping')).structuredContent).toEqual({ result: 42 });
    const ac = new AbortController();
    const spinning = s.client.callTool({ name: 'spin', arguments: {} }, undefined, { signal: ac.signal, timeout: LIMIT_MS * 2 });
    // Let the call reach the worker before cancelling it.
    await new Promise((r) => setTimeout(r, 1500));
    ac.abort('user pressed stop');
    await expect(spinning).rejects.toThrow();

    const started = Date.now();
    const next = await call(s, 'ping');
    expect(next.structuredContent).toEqual({ result: 42 });
    expect(Date.now() - started).toBeLessThan(LIMIT_MS / 3);

    const audit = await runCli(['audit', '--json', '--component', 'spin', '--limit', '20'], { home: t.home });
    const entries = JSON.parse(audit.stdout).entries as Array<{ tool?: string; outcome: string }>;
    expect(entries.some((e) => e.tool === 'spin' && e.outcome === 'cancelled')).toBe(true);
  }, 60_000);
});
