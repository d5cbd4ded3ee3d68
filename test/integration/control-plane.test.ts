// End to end over `serve --http`: a component granted loopback cannot reach the server's own /mcp (HTTP or TCP,
// by any spelling of this machine), a plain loopback server stays reachable; the bearer token guards /mcp, lives
// 0600 in WASSETTE_HOME, survives restarts, is replaced when others could read it; `--no-auth` is loopback-only.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempHome } from '../helpers/cli.js';
import { spawnHttpServer } from '../helpers/http-serve.js';

const ID = 'escape-probe';

interface HttpServer {
  child: ChildProcess;
  url: URL;
  port: number;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts `wassette serve --http <addr> ...extra` and waits for the "serving ... at <url>" log line. */
async function startHttp(home: string, addr: string, extra: string[] = []): Promise<HttpServer> {
  const srv = await spawnHttpServer(home, addr, extra);
  return { child: srv.child, url: srv.url, port: Number(srv.url.port), stderr: srv.output, stop: srv.stop };
}

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** A raw initialize POST to /mcp, with `authorization` as given (none when undefined). */
async function initialize(url: URL, authorization?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    body: INIT,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(authorization ? { authorization } : {}) },
  });
}

async function connect(url: URL, token?: string): Promise<Client> {
  const client = new Client({ name: 'control-plane-test', version: '1.0.0' });
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

type ToolResult = { isError?: boolean; structuredContent?: Record<string, any>; content: Array<{ type: string; text?: string }> };

function text(r: ToolResult): string {
  return r.content.map((c) => c.text ?? '').join('\n');
}

function tokenOf(home: string): string {
  return readFileSync(join(home, 'http-token'), 'utf8').trim();
}

function modeOf(home: string): number {
  return statSync(join(home, 'http-token')).mode & 0o777;
}

describe('a component granted loopback cannot reach the control plane (serve --http)', () => {
  const t = tempHome('wassette-cp-');
  let srv: HttpServer;
  let client: Client;
  let plain: Server;
  let other: number;
  let token: string;
  let hits = 0;
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<ToolResult> =>
    (await client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as ToolResult;

  beforeAll(async () => {
    // The positive control: an ordinary loopback service on another port.
    plain = createServer((req, res) => {
      hits++;
      res.end(`hello from ${req.headers.host}`);
    });
    await new Promise<void>((res) => plain.listen(0, '127.0.0.1', res));
    other = (plain.address() as AddressInfo).port;

    srv = await startHttp(t.home, '127.0.0.1:0');
    token = (await runCli(['http-token'], { home: t.home })).stdout.trim();
    client = await connect(srv.url, token);
    const loaded = await call('load_component', { path: fixture(ID) });
    expect(loaded.isError, text(loaded)).toBeFalsy();
    await client.listTools();
    // Every spelling of this machine the attack below uses is granted, the control-plane port included.
    for (const host of ['127.0.0.1', 'localhost', `127.0.0.1:${srv.port}`, `localhost:${srv.port}`, '0.0.0.0', '[::1]', '127.1.2.3', hostname()]) {
      const g = await call('grant_network_permission', { component_id: ID, details: { host } });
      expect(g.isError, `${host}: ${text(g)}`).toBeFalsy();
    }
  }, 120_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    if (srv) expect(await srv.stop()).toBe(0);
    await new Promise((res) => plain?.close(res));
    t.cleanup();
  });

  it('reaches a granted plain loopback server with the same probe (positive control)', async () => {
    expect((await call('fetch_url', { url: `http://127.0.0.1:${other}/ok` })).structuredContent).toEqual({ result: `200 hello from 127.0.0.1:${other}` });
    expect((await call('fetch_url', { url: `http://localhost:${other}/ok` })).structuredContent).toEqual({ result: `200 hello from localhost:${other}` });
    const tcp = await call('tcp_connect', { a: 127, b: 0, c: 0, d: 1, port: other });
    expect(tcp.isError, text(tcp)).toBeFalsy();
    expect(hits).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("refuses every HTTP spelling of the server's own address before anything is sent", async () => {
    const p = srv.port;
    const urls = [
      `http://127.0.0.1:${p}/mcp`,
      `http://localhost:${p}/mcp`,
      `http://127.0.0.1:${p}/healthz`,
      `https://127.0.0.1:${p}/mcp`,
      `http://LOCALHOST.:${p}/mcp`,
      `http://0.0.0.0:${p}/mcp`,
      `http://[::1]:${p}/mcp`,
      `http://[::ffff:127.0.0.1]:${p}/mcp`,
      `http://127.1.2.3:${p}/mcp`,
      `http://${hostname()}:${p}/mcp`,
    ];
    const hitsBefore = hits;
    for (const url of urls) {
      const r = await call('fetch_url', { url });
      // Reached, /mcp would answer with a status (401/403/405...) and the probe would return it as a result.
      expect(r.isError, `${url}: ${text(r)}`).toBe(true);
      expect(r.structuredContent?.result, url).toBeUndefined();
      const d = r.structuredContent?.denials?.[0];
      expect(d?.capability, `${url}: ${text(r)}`).toBe('network');
      // The guest's fetch sends an IPv6-literal URL with no authority at all, which is refused before the control-plane check.
      if (url.includes('[')) expect([`[::1]:${p}`, `[::ffff:7f00:1]:${p}`, '(no authority)'], url).toContain(String(d?.target));
      else expect(String(d?.target), url).toContain(`:${p}`);
    }
    expect(hits).toBe(hitsBefore);
  }, 120_000);

  it("refuses a raw TCP connect to the server's port by any local address", async () => {
    for (const [a, b, c, d] of [
      [127, 0, 0, 1],
      [0, 0, 0, 0],
      [127, 1, 2, 3],
    ] as const) {
      const r = await call('tcp_connect', { a, b, c, d, port: srv.port });
      expect(r.isError, `${a}.${b}.${c}.${d}: ${text(r)}`).toBe(true);
      expect(r.structuredContent?.denials?.[0]?.capability).toBe('sockets');
      expect(r.structuredContent?.error).toBe('access-denied');
    }
  }, 60_000);

  it('records the refusals as denied in the audit log, and the server still answers', async () => {
    const r = await runCli(['audit', '--json', '--component', ID, '--outcome', 'denied', '--limit', '500'], { home: t.home });
    expect(r.code, r.stderr).toBe(0);
    const denied = (JSON.parse(r.stdout).entries as Array<Record<string, any>>).filter((e) => String(e.target).endsWith(`:${srv.port}`));
    const seen = new Set(denied.map((e) => `${e.capability} ${e.target}`));
    const p = srv.port;
    for (const want of [`127.0.0.1:${p}`, `localhost:${p}`, `0.0.0.0:${p}`, `127.1.2.3:${p}`, `${hostname().toLowerCase()}:${p}`]) {
      expect(seen, want).toContain(`network ${want}`);
    }
    for (const want of [`127.0.0.1:${p}`, `0.0.0.0:${p}`, `127.1.2.3:${p}`]) expect(seen, want).toContain(`sockets ${want}`);
    // The grants the probe was given are still exactly the ones the test made: nothing else drove the server.
    const policy = await call('get_policy', { component_id: ID });
    expect(JSON.stringify(policy.structuredContent)).not.toMatch(/fs:\/\//);
    expect((await fetch(new URL('/healthz', srv.url))).status).toBe(200);
    expect((await call('say', { text: 'still here' })).isError).toBeFalsy();
  }, 60_000);

  it('answers /mcp without the token (or with a wrong one) with 401, and initializes with it', async () => {
    const none = await initialize(srv.url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await initialize(srv.url, `Bearer ${'x'.repeat(43)}`)).status).toBe(401);
    expect((await initialize(srv.url, `Basic ${Buffer.from(`u:${token}`).toString('base64')}`)).status).toBe(401);
    const ok = await initialize(srv.url, `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('mcp-session-id')).toBeTruthy();
    expect(await ok.text()).toContain('"serverInfo"');
  }, 30_000);
});

describe('the HTTP token file', () => {
  it('is 0600, printed by `wassette http-token`, kept across restarts, and replaced when others could read it', async () => {
    const t = tempHome('wassette-tok-');
    try {
      let srv = await startHttp(t.home, '127.0.0.1:0');
      const first = tokenOf(t.home);
      try {
        expect(modeOf(t.home)).toBe(0o600);
        expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
        const printed = await runCli(['http-token'], { home: t.home });
        expect(printed.code, printed.stderr).toBe(0);
        expect(printed.stdout.trim()).toBe(first);
        expect((await initialize(srv.url, `Bearer ${first}`)).status).toBe(200);
      } finally {
        expect(await srv.stop()).toBe(0);
      }

      srv = await startHttp(t.home, '127.0.0.1:0');
      try {
        expect(tokenOf(t.home)).toBe(first);
        expect(modeOf(t.home)).toBe(0o600);
        expect((await initialize(srv.url, `Bearer ${first}`)).status).toBe(200);
      } finally {
        expect(await srv.stop()).toBe(0);
      }

      // A token others could read may have leaked: the next server start replaces it, and the old one stops working.
      chmodSync(join(t.home, 'http-token'), 0o644);
      srv = await startHttp(t.home, '127.0.0.1:0');
      const second = tokenOf(t.home);
      try {
        expect(second).not.toBe(first);
        expect(modeOf(t.home)).toBe(0o600);
        expect(srv.stderr()).toMatch(/http-token/);
        expect((await initialize(srv.url, `Bearer ${first}`)).status).toBe(401);
        expect((await initialize(srv.url, `Bearer ${second}`)).status).toBe(200);
      } finally {
        expect(await srv.stop()).toBe(0);
      }

      // `wassette http-token` applies the same rule.
      chmodSync(join(t.home, 'http-token'), 0o640);
      const printed = await runCli(['http-token'], { home: t.home });
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stdout.trim()).not.toBe(second);
      expect(printed.stdout.trim()).toBe(tokenOf(t.home));
      expect(modeOf(t.home)).toBe(0o600);
    } finally {
      t.cleanup();
    }
  }, 150_000);
});

describe('serve --http --no-auth', () => {
  it.each([['0.0.0.0:0'], ['[::]:0']])(
    'refuses a non-loopback bind %s: exits non-zero with one line on stderr',
    async (addr) => {
      const t = tempHome('wassette-noauth-');
      try {
        const r = await runCli(['serve', '--http', addr, '--no-auth'], { home: t.home });
        expect(r.code).not.toBe(0);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stdout).toBe('');
      } finally {
        t.cleanup();
      }
    },
    30_000,
  );

  it('runs on loopback without a token, warns, and still keeps components off its port', async () => {
    const t = tempHome('wassette-noauth-');
    const srv = await startHttp(t.home, '127.0.0.1:0', ['--no-auth']);
    let client: Client | undefined;
    try {
      expect(srv.stderr()).toMatch(/no-auth/);
      expect((await initialize(srv.url)).status).toBe(200);
      // Here no token stands in the way: the control-plane guard alone keeps the probe out.
      client = await connect(srv.url);
      const opts = { timeout: 60_000 };
      expect((await client.callTool({ name: 'load_component', arguments: { path: fixture(ID) } }, undefined, opts)).isError).toBeFalsy();
      await client.listTools();
      await client.callTool({ name: 'grant_network_permission', arguments: { component_id: ID, details: { host: '127.0.0.1' } } }, undefined, opts);
      const r = (await client.callTool({ name: 'fetch_url', arguments: { url: `http://127.0.0.1:${srv.port}/mcp` } }, undefined, opts)) as ToolResult;
      expect(r.isError, text(r)).toBe(true);
      expect(r.structuredContent?.denials?.[0]?.capability).toBe('network');
    } finally {
      await client?.close().catch(() => undefined);
      expect(await srv.stop()).toBe(0);
      t.cleanup();
    }
  }, 90_000);
});
