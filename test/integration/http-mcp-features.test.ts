// End to end over Streamable HTTP (`wassette serve --http`, SDK client): plain JSON responses for calls that asked
// for no progress and SSE for those that did (progress arrives), pagination and resources (a subscription in one
// session hears of a grant made in another, completion of the templates' component id), cancellation and client
// disconnects stopping the running worker, and the bearer token still required.
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type McpError, ProgressNotificationSchema, type Progress, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempHome } from '../helpers/cli.js';
import { type ServingChild, spawnHttpServer } from '../helpers/http-serve.js';

// Far longer than the tests wait: a worker left spinning would hold the next call this long.
const LIMIT_MS = 60_000;
const t = tempHome();
let srv: ServingChild;
let token = '';

beforeAll(async () => {
  srv = await spawnHttpServer(t.home, '127.0.0.1:0', [], 40_000, { WASSETTE_CALL_TIMEOUT_MS: String(LIMIT_MS), WASSETTE_TOOLS_PAGE_SIZE: '5' });
  token = (await runCli(['http-token'], { home: t.home })).stdout.trim();
}, 60_000);

afterAll(async () => {
  if (srv) expect(await srv.stop()).toBe(0);
  t.cleanup();
});

/** An SDK client whose fetch records the content type of every POST answer. */
async function connect(): Promise<{ client: Client; contentTypes: string[]; progress: Progress[] }> {
  const contentTypes: string[] = [];
  const progress: Progress[] = [];
  const recording = async (url: string | URL, init?: RequestInit) => {
    const r = await fetch(url, init);
    if (init?.method === 'POST' && r.status === 200) contentTypes.push(r.headers.get('content-type') ?? '');
    return r;
  };
  const client = new Client({ name: 'http-features', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(srv.url, { requestInit: { headers: { authorization: `Bearer ${token}` } }, fetch: recording as typeof fetch }),
  );
  // Taken before the SDK's own routing, which drops a notification read together with its response (typescript-sdk #2580).
  client.setNotificationHandler(ProgressNotificationSchema, async (n) => {
    progress.push(n.params);
  });
  return { client, contentTypes, progress };
}

/** POSTs one JSON-RPC message on an existing session without the SDK; resolves with status and body. */
function rawPost(
  sessionId: string,
  body: unknown,
  opts: { token?: string; destroyAfterMs?: number } = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: srv.url.hostname,
        port: srv.url.port,
        path: '/mcp',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-06-18',
          ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: text }));
      },
    );
    req.on('error', (e) => (opts.destroyAfterMs !== undefined ? resolve({ status: 0, type: '', body: String(e) }) : reject(e)));
    if (opts.destroyAfterMs !== undefined) setTimeout(() => req.destroy(), opts.destroyAfterMs);
    req.end(JSON.stringify(body));
  });
}

describe('serve --http: MCP features', () => {
  it('answers plain calls as JSON and a call with a progress token as SSE carrying its progress', async () => {
    const c = await connect();
    try {
      const loaded = await c.client.callTool({ name: 'load_component', arguments: { path: fixture('spin') } }, undefined, { onprogress: () => undefined });
      expect(loaded.isError, JSON.stringify(loaded)).toBeFalsy();
      await new Promise((r) => setTimeout(r, 200));
      expect(c.progress.map((p) => p.progress)).toEqual([1, 4, 6, 7]);
      expect(c.contentTypes.at(-1)).toBe('text/event-stream');

      const before = c.contentTypes.length;
      const r = await c.client.callTool({ name: 'ping', arguments: {} });
      expect(r.structuredContent).toEqual({ result: 42 });
      expect((await c.client.listTools()).tools.length).toBe(5);
      expect(c.contentTypes.slice(before)).toEqual(['application/json', 'application/json']);
    } finally {
      await c.client.close();
    }
  });

  it('pages tools/list, serves resources, and refuses a bad cursor and an unknown resource', async () => {
    const c = await connect();
    try {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await c.client.listTools(cursor === undefined ? {} : { cursor });
        names.push(...r.tools.map((x) => x.name));
        cursor = r.nextCursor;
      } while (cursor !== undefined);
      expect(names).toEqual(expect.arrayContaining(['load_component', 'spin', 'ping']));
      expect(new Set(names).size).toBe(names.length);
      const bad = await c.client.listTools({ cursor: 'x' }).catch((e: unknown) => e);
      expect((bad as McpError).code).toBe(-32602);

      const wit = await c.client.readResource({ uri: 'wassette://components/spin/wit' });
      expect((wit.contents[0] as { text: string }).text).toContain('export ping: func() -> u32;');
      const missing = await c.client.readResource({ uri: 'wassette://components/nope/policy' }).catch((e: unknown) => e);
      expect((missing as McpError).code).toBe(-32002);
    } finally {
      await c.client.close();
    }
  });

  it("declares completions and completes the resource templates' id argument to loaded component ids", async () => {
    const c = await connect();
    try {
      expect(c.client.getServerCapabilities()?.completions).toEqual({});
      const r = await c.client.complete({ ref: { type: 'ref/resource', uri: 'wassette://components/{id}/policy' }, argument: { name: 'id', value: 'sp' } });
      expect(r.completion).toEqual({ values: ['spin'], total: 1, hasMore: false });
      const none = await c.client.complete({ ref: { type: 'ref/resource', uri: 'wassette://components/{id}/wit' }, argument: { name: 'id', value: 'zz' } });
      expect(none.completion.values).toEqual([]);
      const prompt = await c.client.complete({ ref: { type: 'ref/prompt', name: 'x' }, argument: { name: 'a', value: '' } }).catch((e: unknown) => e);
      expect((prompt as McpError).code).toBe(-32602);
    } finally {
      await c.client.close();
    }
  });

  it("a session subscribed to a component's policy hears resources/updated when another session grants", async () => {
    const watcher = await connect();
    const granter = await connect();
    try {
      const updated: string[] = [];
      watcher.client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) => {
        updated.push(n.params.uri);
      });
      await watcher.client.subscribeResource({ uri: 'wassette://components/spin/policy' });
      const g = await granter.client.callTool({ name: 'grant_network_permission', arguments: { component_id: 'spin', details: { host: 'sub.example.com' } } });
      expect(g.isError, JSON.stringify(g)).toBeFalsy();
      // Sent on the watcher's standalone GET stream, as the SDK client opens it after initializing.
      await expect.poll(() => updated, { timeout: 5000 }).toEqual(['wassette://components/spin/policy']);
      const policy = await watcher.client.readResource({ uri: 'wassette://components/spin/policy' });
      expect((policy.contents[0] as { text: string }).text).toContain('sub.example.com');
    } finally {
      await watcher.client.close();
      await granter.client.close();
    }
  });

  it('a cancelled call stops its worker: the next call on the component answers at once', async () => {
    const c = await connect();
    try {
      const ac = new AbortController();
      const spinning = c.client.callTool({ name: 'spin', arguments: {} }, undefined, { signal: ac.signal, timeout: LIMIT_MS * 2 });
      await new Promise((r) => setTimeout(r, 1500));
      ac.abort('stop');
      await expect(spinning).rejects.toThrow();
      const started = Date.now();
      expect((await c.client.callTool({ name: 'ping', arguments: {} })).structuredContent).toEqual({ result: 42 });
      expect(Date.now() - started).toBeLessThan(LIMIT_MS / 3);
    } finally {
      await c.client.close();
    }
  }, 60_000);

  it('a client that drops the connection mid-call gets its call cancelled; others keep being served', async () => {
    const c = await connect();
    try {
      const sessionId = (c.client.transport as StreamableHTTPClientTransport).sessionId!;
      const dropped = await rawPost(
        sessionId,
        { jsonrpc: '2.0', id: 'drop-1', method: 'tools/call', params: { name: 'spin', arguments: {} } },
        { token, destroyAfterMs: 1500 },
      );
      expect(dropped.status).toBe(0);
      const started = Date.now();
      expect((await c.client.callTool({ name: 'ping', arguments: {} })).structuredContent).toEqual({ result: 42 });
      expect(Date.now() - started).toBeLessThan(LIMIT_MS / 3);
      const audit = await runCli(['audit', '--json', '--component', 'spin', '--limit', '20'], { home: t.home });
      const entries = JSON.parse(audit.stdout).entries as Array<{ tool?: string; outcome: string }>;
      expect(entries.filter((e) => e.tool === 'spin' && e.outcome === 'cancelled').length).toBeGreaterThanOrEqual(2);
    } finally {
      await c.client.close();
    }
  }, 60_000);

  it('the JSON path still needs the bearer token and answers protocol errors as JSON-RPC errors', async () => {
    const c = await connect();
    try {
      const sessionId = (c.client.transport as StreamableHTTPClientTransport).sessionId!;
      const ping = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'ping', arguments: {} } };
      expect((await rawPost(sessionId, ping)).status).toBe(401);
      expect((await rawPost(sessionId, ping, { token: 'x'.repeat(43) })).status).toBe(401);
      const ok = await rawPost(sessionId, ping, { token });
      expect(ok.status).toBe(200);
      expect(ok.type).toBe('application/json');
      expect(JSON.parse(ok.body)).toMatchObject({ jsonrpc: '2.0', id: 7, result: { structuredContent: { result: 42 } } });
      const unknown = await rawPost(sessionId, { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'nope', arguments: {} } }, { token });
      expect(JSON.parse(unknown.body)).toMatchObject({ id: 8, error: { code: -32602 } });
    } finally {
      await c.client.close();
    }
  });
});
