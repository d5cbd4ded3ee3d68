// Idle expiry of HTTP sessions: the pure decision, the sweep interval, and what SessionActivity counts as busy.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { isIdle, SessionActivity, sweepIntervalMs } from '../../src/mcp/http-idle.js';

describe('isIdle', () => {
  it.each([
    [{ busy: 0, lastActive: 0 }, 1000, true],
    [{ busy: 0, lastActive: 0 }, 999, false],
    [{ busy: 1, lastActive: 0 }, 10_000, false],
    [{ busy: 0, lastActive: 500 }, 1499, false],
  ])('%o at %d with 1000 ms: %s', (a, now, expected) => {
    expect(isIdle(a, now, 1000)).toBe(expected);
  });
});

describe('sweepIntervalMs', () => {
  it.each([
    [1_800_000, 60_000],
    [120_000, 30_000],
    [1000, 250],
  ])('%d ms idle sweeps every %d ms', (idle, every) => expect(sweepIntervalMs(idle)).toBe(every));
});

function fakeTransport(): Transport & { sent: JSONRPCMessage[] } {
  const sent: JSONRPCMessage[] = [];
  return { sent, start: async () => undefined, close: async () => undefined, send: async (m: JSONRPCMessage) => void sent.push(m) };
}

describe('SessionActivity', () => {
  it('is busy while a response is open and until each request is answered or cancelled', async () => {
    let now = 0;
    const a = new SessionActivity(() => now);
    const res = new EventEmitter() as unknown as ServerResponse;
    now = 10;
    a.begin(res);
    expect(a.busy).toBe(1);
    now = 20;
    res.emit('close');
    expect(a).toMatchObject({ busy: 0, lastActive: 20 });

    const t = fakeTransport();
    const seen: JSONRPCMessage[] = [];
    t.onmessage = (m) => void seen.push(m);
    a.track(t);
    t.onmessage!({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } });
    t.onmessage!({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'y' } });
    expect(seen).toHaveLength(2);
    expect(a.busy).toBe(2);
    now = 30;
    await t.send({ jsonrpc: '2.0', id: 1, result: {} });
    expect(t.sent).toHaveLength(1);
    expect(a).toMatchObject({ busy: 1, lastActive: 30 });
    // A notification tied to the request does not finish it.
    await t.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: 1 } });
    expect(a.busy).toBe(1);
    now = 40;
    t.onmessage!({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2 } });
    expect(a).toMatchObject({ busy: 0, lastActive: 40 });
    expect(isIdle(a, 1040, 1000)).toBe(true);
  });
});
