// The bounded SSE event store: replay after a Last-Event-ID on its own stream only, the per-session caps and the
// shared budget holding under many events, oldest-first eviction, and unknown or evicted ids told apart.
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_OUTPUT_BYTES } from '../../src/config.js';
import { okResult } from '../../src/core/tool-result.js';
import { DEFAULT_EVENT_STORE_LIMITS, EVENT_OVERHEAD_BYTES, EventBudget, SessionEventStore } from '../../src/mcp/event-store.js';

const note = (i: number, pad = 0): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken: 1, progress: i, pad: 'x'.repeat(pad) },
});
const result = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: { ok: true } });
const priming = {} as JSONRPCMessage;

describe('SessionEventStore', () => {
  it("replays the events after an id on that id's stream, without priming events, and says when the stream is answered", async () => {
    const s = new SessionEventStore(new EventBudget());
    const p = await s.storeEvent('post-1', priming);
    await s.storeEvent('_GET_stream', note(100));
    const n1 = await s.storeEvent('post-1', note(1));
    await s.storeEvent('post-1', note(2));
    const open = s.resume(p);
    expect(open).toMatchObject({ kind: 'found', streamId: 'post-1', answered: false });
    expect(open.kind === 'found' && open.events.map((e) => (e.message as unknown as { params: { progress: number } }).params.progress)).toEqual([1, 2]);
    await s.storeEvent('post-1', result(7));
    const done = s.resume(n1);
    expect(done).toMatchObject({ kind: 'found', answered: true });
    expect(done.kind === 'found' && done.events.map((e) => e.message)).toEqual([note(2), result(7)]);

    const sent: string[] = [];
    expect(await s.replayEventsAfter(p, { send: async (id) => void sent.push(id) })).toBe('post-1');
    expect(sent).toHaveLength(3);
    expect(await s.getStreamIdForEventId(p)).toBe('post-1');
    expect(await s.getStreamIdForEventId('nope')).toBeUndefined();
  });

  it.each(['', 'abc', '0', '-1', '1.5', '99', '1e3', '00001', '9'.repeat(40)])('an id it never issued (%j) is unknown', async (id) => {
    const s = new SessionEventStore(new EventBudget());
    for (let i = 0; i < 5; i++) await s.storeEvent('a', note(i));
    expect(s.resume(id)).toEqual({ kind: 'unknown' });
  });

  it('keeps at most maxEvents events under 100,000 writes, evicting the oldest; an evicted id is told apart', async () => {
    const budget = new EventBudget();
    const s = new SessionEventStore(budget, { maxEvents: 50, maxBytes: 1024 * 1024 });
    const ids: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      ids.push(await s.storeEvent('_GET_stream', note(i)));
      expect(s.size).toBeLessThanOrEqual(50);
    }
    expect(budget.events).toBe(50);
    expect(s.resume(ids[0]!)).toEqual({ kind: 'evicted' });
    expect(s.resume(ids.at(-51)!)).toEqual({ kind: 'evicted' });
    const r = s.resume(ids.at(-50)!);
    expect(r.kind === 'found' && r.events.length).toBe(49);
  });

  it('keeps at most maxBytes bytes of messages', async () => {
    const s = new SessionEventStore(new EventBudget(), { maxEvents: 1000, maxBytes: 10_000 });
    const one = Buffer.byteLength(JSON.stringify(note(0, 900)));
    for (let i = 0; i < 10_000; i++) {
      await s.storeEvent('s', note(i % 10, 900));
      expect(s.bytes).toBeLessThanOrEqual(10_000);
    }
    expect(s.size).toBe(Math.floor(10_000 / one));
  });

  it('a message larger than the cap is not kept: resuming from before it is refused, from it works', async () => {
    const s = new SessionEventStore(new EventBudget(), { maxEvents: 1000, maxBytes: 2000 });
    const before = await s.storeEvent('s', note(1));
    const big = await s.storeEvent('s', note(2, 5000));
    const after = await s.storeEvent('s', note(3));
    expect(s.bytes).toBeLessThanOrEqual(2000);
    expect(s.resume(before)).toEqual({ kind: 'evicted' });
    const r = s.resume(big);
    expect(r.kind === 'found' && r.events.map((e) => e.id)).toEqual([after]);
  });

  it('the shared budget caps all sessions together, evicting the oldest events whichever session holds them', async () => {
    const budget = new EventBudget(20_000);
    const stores = Array.from({ length: 100 }, () => new SessionEventStore(budget, { maxEvents: 1000, maxBytes: 8000 }));
    const first = await stores[0]!.storeEvent('s', note(0, 500));
    for (let round = 0; round < 20; round++) {
      for (const s of stores) await s.storeEvent('s', note(round, 500));
      expect(budget.usedBytes).toBeLessThanOrEqual(20_000);
    }
    expect(stores[0]!.resume(first)).toEqual({ kind: 'evicted' });
    expect(stores.reduce((n, s) => n + s.bytes + s.size * EVENT_OVERHEAD_BYTES, 0)).toBe(budget.usedBytes);
    for (const s of stores) s.close();
    expect(budget.usedBytes).toBe(0);
    expect(budget.events).toBe(0);
    // A call finishing after its session closed keeps nothing.
    await stores[0]!.storeEvent('s', note(1, 500));
    expect(budget.usedBytes).toBe(0);
  });

  it('the shared budget charges each event its overhead too: priming events (no text) of 1,000 sessions are evicted', async () => {
    const budget = new EventBudget(1024 * 1024);
    const stores = Array.from({ length: 1000 }, () => new SessionEventStore(budget));
    let last = '';
    for (let round = 0; round < 100; round++) for (const s of stores) last = await s.storeEvent(`post-${round}`, priming);
    // 100,000 events offered; the budget holds what 1 MiB pays for, not every one of them.
    expect(budget.events).toBe(Math.floor((1024 * 1024) / EVENT_OVERHEAD_BYTES));
    expect(budget.usedBytes).toBeLessThanOrEqual(1024 * 1024);
    // The newest events stay (oldest first out), the first ones went.
    expect(stores.at(-1)!.resume(last)).toMatchObject({ kind: 'found', events: [] });
    expect(stores[0]!.resume('1')).toEqual({ kind: 'evicted' });
  });

  it('every resume of an event hands out the same stored bytes, the JSON the SDK frames, parsed only when asked', async () => {
    const s = new SessionEventStore(new EventBudget());
    const p = await s.storeEvent('post', priming);
    const big = { jsonrpc: '2.0', id: 3, result: { text: 'é'.repeat(100_000) } } as JSONRPCMessage;
    await s.storeEvent('post', big);
    const [a, b] = [s.resume(p), s.resume(p)];
    if (a.kind !== 'found' || b.kind !== 'found') throw new Error('not found');
    // One Buffer for every replay: a resume storm of sockets that do not read holds references, not copies.
    expect(a.events[0]!.data).toBeInstanceOf(Buffer);
    expect(a.events[0]!.data).toBe(b.events[0]!.data);
    expect(a.events[0]!.data.toString('utf8')).toBe(JSON.stringify(big));
    expect(a.events[0]!.bytes).toBe(Buffer.byteLength(JSON.stringify(big)));
    expect(a.events[0]!.response).toBe(true);
    expect(a.events[0]!.message).toEqual(big);
    expect(s.bytes).toBe(Buffer.byteLength(JSON.stringify(big)));
  });

  it('after a batch, a stream holding a response is no longer reported answered (more responses may follow)', async () => {
    const s = new SessionEventStore(new EventBudget());
    const p = await s.storeEvent('post', priming);
    await s.storeEvent('post', result(1));
    expect(s.resume(p)).toMatchObject({ answered: true });
    s.noteBatch();
    expect(s.resume(p)).toMatchObject({ answered: false });
  });
});

describe('default per-session cap', () => {
  it('holds one largest result at the default output limit as sent, so it resumes', async () => {
    // A string of quotes whose JSON is exactly the 4 MiB limit: each quote is 2 bytes in structuredContent and 4 in
    // the escaped text copy, the worst case (about 3x the limit in all).
    const value = '"'.repeat((DEFAULT_MAX_OUTPUT_BYTES - 2) / 2);
    expect(Buffer.byteLength(JSON.stringify(value))).toBe(DEFAULT_MAX_OUTPUT_BYTES);
    const response: JSONRPCMessage = { jsonrpc: '2.0', id: 1, result: okResult({ result: value }) };
    expect(Buffer.byteLength(JSON.stringify(response))).toBeGreaterThan(3 * DEFAULT_MAX_OUTPUT_BYTES);

    const s = new SessionEventStore(new EventBudget(), DEFAULT_EVENT_STORE_LIMITS);
    const p = await s.storeEvent('post-1', priming);
    await s.storeEvent('post-1', response);
    const r = s.resume(p);
    expect(r).toMatchObject({ kind: 'found', answered: true });
    expect(r.kind === 'found' && r.events.map((e) => e.bytes)).toEqual([Buffer.byteLength(JSON.stringify(response))]);
  });
});
