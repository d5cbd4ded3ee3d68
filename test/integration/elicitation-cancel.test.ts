// A form the server put up for a call goes away with the call: when the client cancels a load_tool that waits on an
// elicitation, the server withdraws the form (notifications/cancelled reaches the client's handler), the request
// stays pending for `wassette approvals`, and the server keeps answering.
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, type McpSession } from '../helpers/cli.js';

const ENV = { WASSETTE_APPROVAL: 'prompt' };

describe('cancelling a call that waits on an elicitation form', () => {
  const t = tempHome('wassette-elicit-cancel-');
  let s: McpSession;
  let forms = 0;
  let formShown!: () => void;
  const shown = new Promise<void>((r) => {
    formShown = r;
  });
  let withdrawn!: (reason: unknown) => void;
  const formWithdrawn = new Promise<unknown>((r) => {
    withdrawn = r;
  });

  beforeAll(async () => {
    s = await startStdioSession({
      home: t.home,
      env: ENV,
      // The first form is declined at once; the user never answers the second, which stays up until withdrawn.
      // (The first exists because the SDK client ignores a cancellation of request id 0, the server's first request.)
      elicit: (_message, _schema, signal) =>
        new Promise((resolve, reject) => {
          if (++forms === 1) return resolve({ action: 'decline' });
          formShown();
          signal.addEventListener('abort', () => {
            withdrawn(signal.reason);
            reject(new Error('withdrawn'));
          });
        }),
    });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it('withdraws the form, leaves the request pending and keeps serving', async () => {
    expect((await call(s, 'load_tool', { ref: fixture('wasi-env') })).structuredContent?.status).toBe('denied');
    const stop = new AbortController();
    const pendingCall = s.client.callTool({ name: 'load_tool', arguments: { ref: fixture('spin'), reason: 'test' } }, CallToolResultSchema, {
      signal: stop.signal,
    });
    await shown;
    stop.abort('the agent gave up');
    await expect(pendingCall).rejects.toThrow();
    const reason = await Promise.race([formWithdrawn, new Promise((r) => setTimeout(() => r('not withdrawn within 10 s'), 10_000))]);
    expect(String(reason), s.stderr()).not.toBe('not withdrawn within 10 s');
    const list = JSON.parse((await runCli(['approvals', 'list', '--json'], { home: t.home, env: ENV })).stdout);
    expect(list.requests).toHaveLength(1);
    expect(list.requests[0]).toMatchObject({ status: 'pending', kind: 'load_tool' });
    expect(JSON.stringify(list.requests[0])).toContain('spin');
    expect((await call(s, 'list_components', {})).isError).toBeFalsy();
  }, 40_000);
});
