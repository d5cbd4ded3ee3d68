// serveHttp under hostile or careless clients: no or a wrong bearer token, foreign Origin, oversized
// bodies, endless new sessions.
import { afterEach, describe, expect, it } from 'vitest';
import { parseListenAddress, serveHttp } from '../../src/mcp/http.js';
import type { McpBackend } from '../../src/mcp/mcp-server.js';

const backend: McpBackend = {
  listTools: () => [],
  callTool: async () => undefined,
  onToolsChanged: () => () => undefined,
};

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});
const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json', ...AUTH };
const NO_AUTH = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

async function start(maxSessions?: number, token: string | null = TOKEN): Promise<string> {
  const h = await serveHttp(backend, { host: '127.0.0.1', port: 0, token, ...(maxSessions !== undefined ? { maxSessions } : {}) }, () => undefined);
  closeServer = h.close;
  return h.url;
}

async function initialize(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const r = await fetch(url, { method: 'POST', headers: { ...HEADERS, ...headers }, body: INIT });
  await r.text();
  return r;
}

describe('serveHttp bearer token', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['another scheme', { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('answers %s with 401, a Bearer challenge and no session', async (_what, headers) => {
    const url = await start();
    const r = await fetch(url, { method: 'POST', headers: { ...NO_AUTH, ...headers }, body: INIT });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="wassette"/);
    expect(r.headers.get('mcp-session-id')).toBeNull();
    // The server created no session: a request with a made-up id is not found either way, and a
    // follow-up with the right token still has to initialize.
    const list = await fetch(url, {
      method: 'POST',
      headers: { ...HEADERS, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(list.status).toBe(400);
  });

  it('accepts the token with any case of the scheme name and keeps /healthz open', async () => {
    const url = await start();
    expect((await initialize(url, { authorization: `bearer ${TOKEN}` })).status).toBe(200);
    const health = await fetch(new URL('/healthz', url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('needs the token on every request of a session, not only on initialize', async () => {
    const url = await start();
    const id = String((await initialize(url)).headers.get('mcp-session-id'));
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const withoutToken = await fetch(url, { method: 'POST', headers: { ...NO_AUTH, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' }, body });
    expect(withoutToken.status).toBe(401);
    const withToken = await fetch(url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' }, body });
    expect(withToken.status).toBe(200);
  });

  it('serves without a token only when told so (token: null)', async () => {
    const url = await start(undefined, null);
    expect((await fetch(url, { method: 'POST', headers: NO_AUTH, body: INIT })).status).toBe(200);
  });

  it('reports its bound port and names to onListening before serving', async () => {
    let seen: Array<{ port: number; names: string[] }> = [];
    const h = await serveHttp(
      backend,
      { host: '127.0.0.1', port: 0, token: TOKEN, allowedHosts: ['mcp.internal'], onListening: (e) => (seen = e) },
      () => undefined,
    );
    closeServer = h.close;
    expect(seen).toHaveLength(1);
    expect(seen[0]!.port).toBe(Number(new URL(h.url).port));
    expect(seen[0]!.names).toEqual(expect.arrayContaining(['127.0.0.1', 'localhost', 'mcp.internal']));
  });
});

describe('serveHttp', () => {
  it.each([
    ['http://evil.example', 403],
    ['null', 403],
    ['http://localhost:1', 403],
  ])('refuses Origin %s', async (origin, status) => {
    const url = await start();
    expect((await initialize(url, { origin })).status).toBe(status);
  });

  it('accepts its own origin and requests without one', async () => {
    const url = await start();
    expect((await initialize(url, { origin: new URL(url).origin })).status).toBe(200);
    expect((await initialize(url)).status).toBe(200);
  });

  it('answers an oversized body with 413', async () => {
    const url = await start();
    const r = await fetch(url, { method: 'POST', headers: HEADERS, body: ' '.repeat(17 * 1024 * 1024) });
    expect(r.status).toBe(413);
  });

  it('keeps at most maxSessions sessions, closing the least recently used', async () => {
    const url = await start(2);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(String((await initialize(url)).headers.get('mcp-session-id')));
    const list = (id: string) =>
      fetch(url, {
        method: 'POST',
        headers: { ...HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    expect((await list(ids[0]!)).status).toBe(404);
    expect((await list(ids[1]!)).status).toBe(200);
    // ids[1] was just used, so a fourth session pushes out ids[2].
    await initialize(url);
    expect((await list(ids[2]!)).status).toBe(404);
    expect((await list(ids[1]!)).status).toBe(200);
  });
});

describe('parseListenAddress', () => {
  it.each([
    [undefined, { host: '127.0.0.1', port: 9001 }],
    ['', { host: '127.0.0.1', port: 9001 }],
    ['9003', { host: '127.0.0.1', port: 9003 }],
    [':9003', { host: '127.0.0.1', port: 9003 }],
    ['0.0.0.0:9003', { host: '0.0.0.0', port: 9003 }],
    ['localhost', { host: 'localhost', port: 9001 }],
    ['[::1]:9003', { host: '::1', port: 9003 }],
  ])('%j', (value, expected) => expect(parseListenAddress(value)).toEqual(expected));

  it.each(['99999', 'a:b:c'])('refuses %j', (value) => expect(() => parseListenAddress(value)).toThrow(/not a listen address/));
});

describe('serveHttp initialize requests the transport refuses', () => {
  it('leave no MCP server listening on the backend (each would be kept, and notified of every change, forever)', async () => {
    const listeners = new Set<() => void>();
    const counting: McpBackend = {
      ...backend,
      onToolsChanged: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const h = await serveHttp(counting, { host: '127.0.0.1', port: 0, token: TOKEN }, () => undefined);
    closeServer = h.close;
    for (let i = 0; i < 20; i++) {
      // Not acceptable (no text/event-stream), and a wrong content type: the SDK transport answers 406 / 415.
      expect((await initialize(h.url, { accept: 'application/json' })).status).toBe(406);
      expect((await initialize(h.url, { 'content-type': 'text/plain' })).status).toBe(415);
    }
    await expect.poll(() => listeners.size).toBe(0);
    expect((await initialize(h.url)).status).toBe(200);
    expect(listeners.size).toBe(1);
  });
});
