// End to end over Streamable HTTP: `wassette serve --http`, the SDK's HTTP client at /mcp, the Host
// allowlist (DNS rebinding), /healthz, and clients sharing one set of loaded components.
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempHome } from '../helpers/cli.js';
import { spawnHttpServer } from '../helpers/http-serve.js';

interface HttpServer {
  child: ChildProcess;
  url: URL;
  /** The bearer token it requires, as `wassette http-token` prints it. */
  token: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts `wassette serve --http <addr>` and waits for the "serving ... at <url>" log line. */
async function startHttp(home: string, addr: string): Promise<HttpServer> {
  const srv = await spawnHttpServer(home, addr, [], 20_000);
  const printed = await runCli(['http-token'], { home });
  return { child: srv.child, url: srv.url, token: printed.stdout.trim(), stderr: srv.output, stop: srv.stop };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

/** A raw request, because fetch will not send a foreign Host header. */
function rawRequest(url: URL, opts: { method?: string; host?: string; body?: string; token?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: opts.method ?? 'GET',
        headers: {
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

async function connect(url: URL, token: string): Promise<{ client: Client; changed(): number }> {
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  let changed = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    changed++;
  });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return { client, changed: () => changed };
}

describe('wassette serve --http', () => {
  const t = tempHome();
  let srv: HttpServer;
  beforeAll(async () => {
    srv = await startHttp(t.home, '127.0.0.1:0');
  }, 30_000);
  afterAll(async () => {
    if (srv) expect(await srv.stop()).toBe(0);
    t.cleanup();
  });

  it('binds an ephemeral port when asked for port 0 and answers /healthz', async () => {
    expect(srv.url.pathname).toBe('/mcp');
    expect(Number(srv.url.port)).toBeGreaterThan(0);
    const r = await fetch(new URL('/healthz', srv.url));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
    expect((await fetch(new URL('/nope', srv.url))).status).toBe(404);
  });

  it('lists, loads and calls through the SDK client; a second client sees the same tools', async () => {
    const a = await connect(srv.url, srv.token);
    const b = await connect(srv.url, srv.token);
    try {
      expect((await a.client.listTools()).tools.map((x) => x.name)).toContain('load_component');
      const loaded = await a.client.callTool({ name: 'load_component', arguments: { path: fixture('all-types') } });
      expect(loaded.isError, JSON.stringify(loaded)).toBeFalsy();
      await a.client.listTools();
      const r = await a.client.callTool({ name: 'greet', arguments: { name: 'http' } });
      expect(r.structuredContent).toEqual({ result: 'hello, http' });
      const err = await a.client.callTool({ name: 'divide', arguments: { a: 1, b: 0 } });
      expect(err.isError).toBe(true);
      expect(err.structuredContent).toEqual({ error: 'division by zero' });

      expect((await b.client.listTools()).tools.map((x) => x.name)).toContain('greet');
      expect((await b.client.callTool({ name: 'add', arguments: { a: '18446744073709551615', b: '0' } })).structuredContent).toEqual({
        result: '18446744073709551615',
      });
      await expect.poll(() => b.changed(), { timeout: 5000 }).toBeGreaterThan(0);
    } finally {
      await a.client.close();
      await b.client.close();
    }
  }, 30_000);

  it.each([['evil.example'], ['evil.example:80'], ['127.0.0.1.nip.io']])('refuses Host %s with 403', async (host) => {
    const r = await rawRequest(srv.url, { method: 'POST', host, body: INIT, token: srv.token });
    expect(r.status).toBe(403);
    expect(r.body).toContain('not allowed');
  });

  it('accepts the bound address and localhost as Host', async () => {
    for (const host of [`127.0.0.1:${srv.url.port}`, `localhost:${srv.url.port}`]) {
      expect((await rawRequest(srv.url, { method: 'POST', host, body: INIT, token: srv.token })).status).toBe(200);
    }
  });

  it('answers a request without a session that is not initialize with 400', async () => {
    const r = await rawRequest(srv.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), token: srv.token });
    expect(r.status).toBe(400);
  });

  it('writes nothing to stdout in HTTP mode either', () => {
    expect(srv.stderr()).not.toMatch(/^\{/m);
  });
});

describe('wassette serve --http host:port', () => {
  it('listens on an explicit port and restores loaded components', async () => {
    const t = tempHome();
    const port = await freePort();
    const srv = await startHttp(t.home, `127.0.0.1:${port}`);
    try {
      expect(srv.url.port).toBe(String(port));
      const a = await connect(srv.url, srv.token);
      await a.client.callTool({ name: 'load_component', arguments: { path: fixture('resources') } });
      await a.client.close();
      const t0 = Date.now();
      expect(await srv.stop()).toBe(0);
      // A client's leftover SSE/keep-alive socket once held shutdown open for ~4 s.
      expect(Date.now() - t0).toBeLessThan(2000);
      const again = await startHttp(t.home, `127.0.0.1:${port}`);
      try {
        const c = await connect(again.url, again.token);
        const names = (await c.client.listTools()).tools.map((x) => x.name);
        expect(names).toContain('test_res_counters_counter_new');
        await c.client.close();
      } finally {
        await again.stop();
      }
    } finally {
      t.cleanup();
    }
  }, 30_000);
});
