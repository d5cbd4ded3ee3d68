// A resume storm against the real `wassette serve --http`: hundreds of GETs resuming one stored 3.8 MB result, none
// of them reading, must not multiply the server's memory (each replay once took its own parse, stringify and copy:
// 139 -> 759 MiB RSS for 500 such GETs), and a client that then reads its replay gets the whole result.
import { readFileSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempHome } from '../helpers/cli.js';
import { type ServingChild, spawnHttpServer } from '../helpers/http-serve.js';

const t = tempHome('wassette-storm-');
let srv: ServingChild;
let token = '';
const PV = '2025-11-25';
const BLOB = 1_900_000;
const STORM = 500;

beforeAll(async () => {
  expect((await runCli(['component', 'load', fixture('big-output')], { home: t.home })).code).toBe(0);
  srv = await spawnHttpServer(t.home, '127.0.0.1:0');
  token = (await runCli(['http-token'], { home: t.home })).stdout.trim();
}, 60_000);

afterAll(async () => {
  if (srv) expect(await srv.stop()).toBe(0);
  t.cleanup();
});

const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

function send(method: string, headers: Record<string, string>, body?: unknown): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: '127.0.0.1', port: srv.url.port, path: '/mcp', method, agent: false, headers: { authorization: `Bearer ${token}`, ...headers } },
      (res) => resolve({ req, res }),
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function readAll(p: Promise<{ res: IncomingMessage }>): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const { res } = await p;
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
}

const sseData = (text: string): string[] =>
  text
    .split('\n\n')
    .map((b) => /^data: (.*)$/m.exec(b)?.[1] ?? '')
    .filter((d) => d !== '');

describe.runIf(process.platform === 'linux')('serve --http: resume storm', () => {
  it(`${STORM} resumes of one 3.8 MB result that never read leave the server's RSS flat; a reading resume gets it whole`, async () => {
    const post = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await readAll(
      send('POST', post, {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: PV, capabilities: {}, clientInfo: { name: 's', version: '1' } },
      }),
    );
    const h = { 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': PV };
    expect((await readAll(send('POST', { ...h, ...post }, { jsonrpc: '2.0', method: 'notifications/initialized' }))).status).toBe(202);
    const call = await readAll(
      send(
        'POST',
        { ...h, ...post },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'blob', arguments: { n: BLOB }, _meta: { progressToken: 'p' } } },
      ),
    );
    const priming = /^id: (\d+)$/m.exec(call.body)![1]!;
    expect(JSON.parse(sseData(call.body)[0]!).result.structuredContent.result).toHaveLength(BLOB);

    const pid = srv.child.pid!;
    await sleep(500);
    const before = rssMiB(pid);
    const get = { ...h, accept: 'text/event-stream', 'last-event-id': priming };
    const held = await Promise.all(Array.from({ length: STORM }, () => send('GET', get)));
    await sleep(1000);
    const during = rssMiB(pid);
    const statuses = held.map((x) => x.res.statusCode);
    for (const x of held) x.req.destroy();
    // Measured 139 -> 759 MiB before the fix, 142 -> 134 after (load ~4).
    expect(during - before, `RSS ${before.toFixed(0)} -> ${during.toFixed(0)} MiB; statuses ${statuses.filter((s) => s === 200).length} x 200`).toBeLessThan(
      200,
    );
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);

    await sleep(500);
    const replay = await readAll(send('GET', get));
    expect(replay.status).toBe(200);
    const data = sseData(replay.body);
    expect(data).toHaveLength(1);
    expect(JSON.parse(data[0]!)).toMatchObject({ id: 2, result: { structuredContent: { result: 'x'.repeat(BLOB) } } });
    expect(srv.child.exitCode).toBeNull();
  }, 120_000);
});
