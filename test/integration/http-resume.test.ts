// SSE resumability over the real `wassette serve --http`: an SDK client whose connections are cut mid-call (by a
// TCP proxy that then refuses it for a while) reconnects with Last-Event-ID and gets what it missed, on the call's
// POST stream (progress and the result) and on its GET stream (list_changed); a Last-Event-ID the session no
// longer holds or never issued is answered with a clear error, and the per-session cap holds.
import { request, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, ProgressNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempHome } from '../helpers/cli.js';
import { type CutProxy, startCutProxy } from '../helpers/cut-proxy.js';
import { type ServingChild, spawnHttpServer } from '../helpers/http-serve.js';

const MAX_EVENTS = 32;
const ENV = {
  WASSETTE_APPROVAL: 'prompt',
  WASSETTE_LOAD_TOOL_WAIT_MS: '60000',
  WASSETTE_HTTP_EVENT_STORE_EVENTS: String(MAX_EVENTS),
};
const t = tempHome('wassette-resume-');
let srv: ServingChild;
let proxy: CutProxy;
let token = '';

beforeAll(async () => {
  proxy = await startCutProxy();
  srv = await spawnHttpServer(t.home, '127.0.0.1:0', ['--allowed-host', `127.0.0.1:${proxy.port}`], 40_000, ENV);
  proxy.setUpstream(Number(srv.url.port));
  token = (await runCli(['http-token'], { home: t.home })).stdout.trim();
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  if (srv) expect(await srv.stop()).toBe(0);
  t.cleanup();
});

async function pendingId(): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const list = JSON.parse((await runCli(['approvals', 'list', '--json'], { home: t.home, env: ENV })).stdout);
    if (list.requests.length > 0) return list.requests[0].id;
    await sleep(200);
  }
  throw new Error('no pending request appeared');
}

/** One raw HTTP request on the direct URL; the body is read for at most `readMs` (an SSE stream stays open). */
function raw(
  method: string,
  headers: Record<string, string>,
  body?: unknown,
  readMs = 10_000,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: srv.url.hostname, port: srv.url.port, path: '/mcp', method, headers: { authorization: `Bearer ${token}`, ...headers } },
      (res) => {
        let text = '';
        const finish = (): void => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        const timer = setTimeout(() => {
          finish();
          req.destroy();
        }, readMs);
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          clearTimeout(timer);
          finish();
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const sseEvents = (text: string): Array<{ id: string; data: string }> =>
  text
    .split('\n\n')
    .map((block) => ({ id: /^id: (.*)$/m.exec(block)?.[1] ?? '', data: /^data: (.*)$/m.exec(block)?.[1] ?? '' }))
    .filter((e) => e.id !== '');

describe('serve --http: SSE resumability', () => {
  it('a client cut off mid-call reconnects with Last-Event-ID and gets the missed progress, result and list_changed', async () => {
    const client = new Client({ name: 'resume', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${proxy.port}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
      reconnectionOptions: { initialReconnectionDelay: 200, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1.5, maxRetries: 100 },
    });
    await client.connect(transport);
    const progress: string[] = [];
    let listChanged = 0;
    client.setNotificationHandler(ProgressNotificationSchema, async (n) => void progress.push(String(n.params.message)));
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => void listChanged++);
    try {
      // An event on the GET stream first, so the client holds a Last-Event-ID for that stream too.
      expect((await runCli(['component', 'load', fixture('spin')], { home: t.home, env: ENV })).code).toBe(0);
      await expect.poll(() => listChanged, { timeout: 10_000 }).toBeGreaterThan(0);
      const seenBefore = listChanged;

      const call = client.callTool({ name: 'load_tool', arguments: { ref: fixture('text-tools'), reason: 'resume test' } }, CallToolResultSchema, {
        onprogress: () => undefined,
        resetTimeoutOnProgress: true,
        timeout: 90_000,
      });
      const id = await pendingId();
      await expect.poll(() => progress.some((m) => m.startsWith('waiting for the user')), { timeout: 10_000 }).toBe(true);

      // The network goes: every connection is cut, and reconnects fail until it comes back.
      proxy.refuse(true);
      proxy.cut();
      const approved = await runCli(['approvals', 'approve', id], { home: t.home, env: ENV });
      expect(approved.code, approved.stderr).toBe(0);
      // The server answers the call while the client cannot hear it (its store keeps the answer).
      await expect
        .poll(async () => (await runCli(['component', 'list', '--json'], { home: t.home, env: ENV })).stdout, { timeout: 20_000 })
        .toContain('text-tools');
      await sleep(2000);
      expect(progress).not.toContain('approved; loading');
      const headsBefore = proxy.heads.length;

      proxy.refuse(false);
      const r = await call;
      expect(r.isError, JSON.stringify(r)).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ status: 'loaded', component_id: 'text-tools' });
      // Missed while cut off, replayed on reconnect: the progress before the result, and the GET stream's list_changed.
      expect(progress).toContain('approved; loading');
      await expect.poll(() => listChanged, { timeout: 10_000 }).toBeGreaterThan(seenBefore);
      const resumes = proxy.heads.slice(headsBefore).filter((h) => h.startsWith('get ') && h.includes('\r\nlast-event-id: '));
      expect(resumes.length).toBeGreaterThanOrEqual(2);

      // Still one working session after the resume.
      expect((await client.callTool({ name: 'ping', arguments: {} })).structuredContent).toEqual({ result: 42 });
    } finally {
      await client.close();
    }
  }, 120_000);

  it('answers an evicted or never issued Last-Event-ID with a clear 400, replays a held one, and keeps serving', async () => {
    const init = await raw(
      'POST',
      { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } },
    );
    expect(init.status).toBe(200);
    const session = String(init.headers['mcp-session-id']);
    const h = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    const post = { ...h, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    expect((await raw('POST', post, { jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);

    // Each call with a progress token answers on its own SSE stream: a priming event and the result, two events
    // per call, so 20 calls are more than the session keeps.
    const calls: Array<{ priming: string; result: { id: string; data: string } }> = [];
    for (let i = 0; i < 20; i++) {
      const r = await raw('POST', post, {
        jsonrpc: '2.0',
        id: 100 + i,
        method: 'tools/call',
        params: { name: 'ping', arguments: {}, _meta: { progressToken: `p${i}` } },
      });
      expect(r.headers['content-type']).toBe('text/event-stream');
      const [priming, result] = sseEvents(r.body);
      expect(priming?.data).toBe('');
      expect(JSON.parse(result!.data)).toMatchObject({ id: 100 + i, result: { structuredContent: { result: 42 } } });
      calls.push({ priming: priming!.id, result: result! });
    }

    for (const old of [calls[0]!, calls.at(-17)!]) {
      const evicted = await raw('GET', { ...h, accept: 'text/event-stream', 'last-event-id': old.priming });
      expect(evicted.status).toBe(400);
      const e = JSON.parse(evicted.body);
      expect(e.error.data.reason).toBe('evicted');
      expect(e.error.message).toContain(`no longer held (a session keeps its last ${MAX_EVENTS} events`);
    }
    for (const id of ['not-an-id', '999999']) {
      const bogus = await raw('GET', { ...h, accept: 'text/event-stream', 'last-event-id': id });
      expect(bogus.status).toBe(400);
      expect(JSON.parse(bogus.body).error).toMatchObject({ code: -32000, data: { reason: 'unknown' } });
      expect(JSON.parse(bogus.body).error.message).toContain('never issued');
    }

    // A held id replays what followed it on its stream; the stream was answered, so the replay ends at once.
    for (const recent of [calls.at(-15)!, calls.at(-1)!]) {
      const started = Date.now();
      const replay = await raw('GET', { ...h, accept: 'text/event-stream', 'last-event-id': recent.priming });
      expect(replay.status).toBe(200);
      expect(sseEvents(replay.body)).toEqual([recent.result]);
      expect(Date.now() - started).toBeLessThan(5000);
    }

    const ping = await raw('POST', post, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'ping', arguments: {} } });
    expect(JSON.parse(ping.body)).toMatchObject({ id: 9, result: { structuredContent: { result: 42 } } });
    expect(srv.child.exitCode).toBeNull();
  }, 120_000);
});
