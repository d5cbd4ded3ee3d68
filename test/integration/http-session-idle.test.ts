// Idle expiry of HTTP sessions over the real `wassette serve --http` (WASSETTE_HTTP_SESSION_IDLE_MS=1500): an idle
// session is closed and its id then gets the same 404 as one never issued, while a session holding a GET stream or
// running a call outlives the limit and keeps working.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempHome } from '../helpers/cli.js';
import { type ServingChild, spawnHttpServer } from '../helpers/http-serve.js';

const IDLE_MS = 1500;
// Longer than the idle limit plus a sweep: the spinning call is in flight past the point an idle session expires.
const CALL_MS = 4000;
const ENV = { WASSETTE_HTTP_SESSION_IDLE_MS: String(IDLE_MS), WASSETTE_CALL_TIMEOUT_MS: String(CALL_MS) };
const t = tempHome('wassette-idle-');
let srv: ServingChild;
let token = '';

beforeAll(async () => {
  expect((await runCli(['component', 'load', fixture('spin')], { home: t.home, env: ENV })).code).toBe(0);
  srv = await spawnHttpServer(t.home, '127.0.0.1:0', [], 40_000, ENV);
  token = (await runCli(['http-token'], { home: t.home })).stdout.trim();
}, 60_000);

afterAll(async () => {
  if (srv) expect(await srv.stop()).toBe(0);
  t.cleanup();
});

const headers = (session?: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : {}),
});

async function post(session: string | undefined, body: unknown): Promise<{ status: number; body: string }> {
  const r = await fetch(srv.url, { method: 'POST', headers: headers(session), body: JSON.stringify(body) });
  return { status: r.status, body: await r.text() };
}

async function open(): Promise<string> {
  const r = await fetch(srv.url, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'idle', version: '1' } },
    }),
  });
  await r.text();
  expect(r.status).toBe(200);
  const session = r.headers.get('mcp-session-id')!;
  expect((await post(session, { jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
  return session;
}

const call = (session: string, name: string, id = 7) => post(session, { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

describe('serve --http: idle sessions expire', () => {
  it('closes an idle session (404 as for an unknown id) but keeps one with an open GET stream or a call in flight', async () => {
    const idle = await open();
    const streaming = await open();
    const calling = await open();
    expect((await call(idle, 'ping')).status).toBe(200);

    const stream = new AbortController();
    const get = await fetch(srv.url, { method: 'GET', headers: { ...headers(streaming), accept: 'text/event-stream' }, signal: stream.signal });
    expect(get.status).toBe(200);
    const spinning = call(calling, 'spin');

    await sleep(IDLE_MS * 2);
    const unknown = await call('00000000-0000-4000-8000-000000000000', 'ping');
    expect(unknown.status).toBe(404);
    const expired = await call(idle, 'ping');
    expect(expired).toEqual(unknown);
    expect(JSON.parse(expired.body).error).toEqual({ code: -32001, message: 'Session not found' });
    expect(srv.output()).toContain(`closing MCP session ${idle}: idle for more than ${IDLE_MS} ms`);

    // Busy the whole time: the GET stream stayed open, the call ran past the limit (and timed out as a result).
    const spun = await spinning;
    expect(spun.status).toBe(200);
    expect(JSON.parse(spun.body).result.isError).toBe(true);
    expect((await call(calling, 'ping')).status).toBe(200);
    expect((await call(streaming, 'ping')).status).toBe(200);

    // Once its stream closes, the streaming session is idle like any other.
    stream.abort();
    await get.body?.cancel().catch(() => undefined);
    await sleep(IDLE_MS * 2);
    expect((await call(streaming, 'ping')).status).toBe(404);
    expect(srv.child.exitCode).toBeNull();
  }, 60_000);
});
