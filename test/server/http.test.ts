// serveHttp under hostile or careless clients: foreign Origin, oversized bodies, endless new sessions.
import { afterEach, describe, expect, it } from 'vitest';
import { serveHttp } from '../../src/server/http.js';
import type { McpBackend } from '../../src/server/mcp-server.js';

const backend: McpBackend = {
  listTools: () => [],
  callTool: async () => undefined,
  onToolsChanged: () => () => undefined,
};

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

async function start(maxSessions?: number): Promise<string> {
  const h = await serveHttp(backend, { host: '127.0.0.1', port: 0, ...(maxSessions !== undefined ? { maxSessions } : {}) }, () => undefined);
  closeServer = h.close;
  return h.url;
}

async function initialize(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const r = await fetch(url, { method: 'POST', headers: { ...HEADERS, ...headers }, body: INIT });
  await r.text();
  return r;
}

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
      fetch(url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect((await list(ids[0]!)).status).toBe(404);
    expect((await list(ids[1]!)).status).toBe(200);
    // ids[1] was just used, so a fourth session pushes out ids[2].
    await initialize(url);
    expect((await list(ids[2]!)).status).toBe(404);
    expect((await list(ids[1]!)).status).toBe(200);
  });
});
