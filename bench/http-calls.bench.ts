// Benchmark: the same MCP calls over stdio and over Streamable HTTP (JSON responses, and the SDK's SSE path),
// then 8 concurrent HTTP sessions x 1,000 calls (errors, server RSS) and throughput with 1, 4 and 16 clients
// while one slow component keeps hitting its time limit. Targets: HTTP p50 <= 1.5x stdio; no errors; RSS
// after the run within 10% of RSS after warm-up.
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { call, fixture, runCli, startStdioSession, tempHome, type McpSession } from '../test/helpers/cli.js';
import { type ServingChild, spawnHttpServer } from '../test/helpers/http-serve.js';
import { nodeHttpFetch } from './node-http-fetch.js';
import { median, percentile } from './spine-calls.bench.js';
import { runStandalone } from './standalone.js';

const CALLS = 1000;
const WARMUP = 300;
const SESSIONS = 8;
const CALLS_PER_SESSION = 1000;
const THROUGHPUT_MS = 3000;
const TARGET_RATIO = 1.5;
const RSS_TOLERANCE = 0.1;

type Result = Awaited<ReturnType<typeof call>>;

interface Conn {
  label: string;
  call(tool: string, args: Record<string, unknown>): Promise<Result>;
  close(): Promise<void>;
}

interface Case {
  label: string;
  tool: string;
  args: Record<string, unknown>;
  ok(r: Result): boolean;
}

const BUILTIN: Case = { label: '`list_components`', tool: 'list_components', args: {}, ok: (r) => Array.isArray(r.structuredContent?.components) };
const GREET: Case = { label: '`greet` (WAT)', tool: 'greet', args: { name: 'bench' }, ok: (r) => r.structuredContent?.result === 'hello, bench' };

function stdioConn(s: McpSession): Conn {
  return { label: 'stdio', call: (tool, args) => call(s, tool, args), close: () => s.close() };
}

/**
 * The SDK's HTTP client transport (1.32.2) passes one AbortSignal, its session's, to every fetch; undici adds a
 * listener to it per request and drops it only when the request is garbage-collected, and past 1,500 listeners Node
 * prints a warning with a stack trace on every request (hundreds of µs billed to the client). The bench's clients
 * leave that signal out; they never cancel.
 */
function withoutSessionSignal(f: typeof fetch): typeof fetch {
  return ((url: string | URL, init?: RequestInit) => {
    const { signal: _signal, ...rest } = init ?? {};
    return f(url, rest);
  }) as typeof fetch;
}

async function httpConn(label: string, srv: ServingChild, token: string, fetchImpl: typeof fetch = fetch): Promise<Conn> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(srv.url, {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
      fetch: withoutSessionSignal(fetchImpl),
    }),
  );
  await client.listTools();
  return {
    label,
    call: async (tool, args) => (await client.callTool({ name: tool, arguments: args })) as Result,
    close: () => client.close(),
  };
}

async function timed(c: Conn, k: Case): Promise<number> {
  const t0 = performance.now();
  const r = await c.call(k.tool, k.args);
  const ms = performance.now() - t0;
  if (r.isError || !k.ok(r)) throw new Error(`${c.label} ${k.tool} returned ${JSON.stringify(r)}`);
  return ms;
}

/** Every (connection, case) pair call by call, so drift hits all alike. */
async function interleaved(conns: Conn[], cases: Case[], n: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    for (const c of conns) {
      for (const k of cases) {
        const key = `${c.label}|${k.label}`;
        const ms = await timed(c, k);
        if (!out.has(key)) out.set(key, []);
        out.get(key)!.push(ms);
      }
    }
  }
  return out;
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Server and client CPU per call for `n` back-to-back calls on one connection. */
async function cpuPerCall(c: Conn, serverPid: number, k: Case, n: number): Promise<{ server: number; client: number }> {
  const s0 = cpuMs(serverPid);
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await timed(c, k);
  const cu = process.cpuUsage(c0);
  return { server: (cpuMs(serverPid) - s0) / n, client: (cu.user + cu.system) / 1000 / n };
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function startHttp(home: string, env: Record<string, string>): Promise<{ srv: ServingChild; token: string }> {
  const srv = await spawnHttpServer(home, '127.0.0.1:0', [], 40_000, env);
  const printed = await runCli(['http-token'], { home });
  return { srv, token: printed.stdout.trim() };
}

async function load(c: Conn, names: string[]): Promise<void> {
  for (const name of names) {
    const r = await c.call('load_component', { path: fixture(name) });
    if (r.isError) throw new Error(`loading ${name} over ${c.label} failed: ${JSON.stringify(r)}`);
  }
}

/** `clients` connections calling greet back to back for `ms`; returns calls/s and errors. */
async function throughput(conns: Conn[], ms: number): Promise<{ perSecond: number; errors: number }> {
  const end = performance.now() + ms;
  let calls = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < end) {
        try {
          const r = await c.call(GREET.tool, GREET.args);
          if (r.isError || !GREET.ok(r)) errors++;
        } catch {
          errors++;
        }
        calls++;
      }
    }),
  );
  return { perSecond: calls / ((performance.now() - started) / 1000), errors };
}

const FLOOR_CALLS = 2000;
const CPU_CALLS = 2000;

/** p50 of a POST to a bare node:http server with a fixed JSON-RPC answer: global fetch, then node:http. */
async function fetchFloor(): Promise<{ fetch: number; http: number }> {
  const { createServer } = await import('node:http');
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [] } });
  const srv = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/mcp`;
  const node = nodeHttpFetch();
  const post = (f: typeof fetch) => async () => {
    const r = await f(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    await r.json();
  };
  try {
    const time = async (f: () => Promise<void>) => {
      for (let i = 0; i < 300; i++) await f();
      const xs: number[] = [];
      for (let i = 0; i < FLOOR_CALLS; i++) {
        const t0 = performance.now();
        await f();
        xs.push(performance.now() - t0);
      }
      return median(xs);
    };
    return { fetch: await time(post(fetch)), http: await time(post(node.fetch as typeof fetch)) };
  } finally {
    node.close();
    await new Promise<void>((r) => srv.close(() => r()));
  }
}

const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

export async function run(): Promise<string> {
  const homes = [tempHome('wassette-bench-'), tempHome('wassette-bench-'), tempHome('wassette-bench-')];
  const [stdioHome, jsonHome, sseHome] = homes.map((h) => h.home) as [string, string, string];
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const stdioSession = await startStdioSession({ home: stdioHome });
    const stdio = stdioConn(stdioSession);
    closers.push(() => stdio.close());
    // The slow component's calls stop at this limit; the others must keep flowing meanwhile.
    const httpEnv = { WASSETTE_CALL_TIMEOUT_MS: '1000' };
    const json = await startHttp(jsonHome, httpEnv);
    closers.push(() => json.srv.stop());
    const sse = await startHttp(sseHome, { ...httpEnv, WASSETTE_HTTP_JSON_RESPONSES: '0' });
    closers.push(() => sse.srv.stop());
    const nodeFetch = nodeHttpFetch();
    closers.push(async () => nodeFetch.close());
    const httpJson = await httpConn('HTTP, JSON responses', json.srv, json.token);
    const httpJsonNode = await httpConn('HTTP, JSON responses, node:http client fetch', json.srv, json.token, nodeFetch.fetch as typeof fetch);
    const httpSse = await httpConn('HTTP, SSE responses (SDK transport)', sse.srv, sse.token);
    closers.push(
      () => httpJson.close(),
      () => httpJsonNode.close(),
      () => httpSse.close(),
    );
    for (const c of [stdio, httpJson, httpSse]) await load(c, ['all-types', 'spin']);
    const conns = [stdio, httpJson, httpJsonNode, httpSse];
    for (const c of conns) await c.call('list_components', {});
    const cases = [BUILTIN, GREET];

    await interleaved(conns, cases, WARMUP);
    const samples = await interleaved(conns, cases, CALLS);
    const p = (c: Conn, k: Case) => samples.get(`${c.label}|${k.label}`)!;
    const latencyRows = conns.flatMap((c) =>
      cases.map((k) => {
        const xs = p(c, k);
        const ratio = median(xs) / median(p(stdio, k));
        return `| ${c.label} | ${k.label} | ${us(median(xs))} | ${us(percentile(xs, 95))} | ${us(percentile(xs, 99))} | ${ratio.toFixed(2)}x |`;
      }),
    );
    const jsonRatio = Math.max(...cases.map((k) => median(p(httpJson, k)) / median(p(stdio, k))));
    const nodeRatio = Math.max(...cases.map((k) => median(p(httpJsonNode, k)) / median(p(stdio, k))));
    const floor = await fetchFloor();
    const pids = new Map<Conn, number>([
      [stdio, stdioSession.pid!()!],
      [httpJson, json.srv.child.pid!],
      [httpJsonNode, json.srv.child.pid!],
      [httpSse, sse.srv.child.pid!],
    ]);
    const cpuRows: string[] = [];
    for (const c of conns) {
      const x = await cpuPerCall(c, pids.get(c)!, BUILTIN, CPU_CALLS);
      cpuRows.push(`| ${c.label} | ${us(x.server)} | ${us(x.client)} |`);
    }

    // 8 sessions x 1,000 calls on the JSON server, RSS read after a warm-up round and after the run.
    const pid = json.srv.child.pid!;
    const sessions = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => httpConn(`s${i}`, json.srv, json.token)));
    closers.push(...sessions.map((s) => () => s.close()));
    await Promise.all(
      sessions.map(async (s) => {
        for (let i = 0; i < 200; i++) await timed(s, GREET);
      }),
    );
    const rssWarm = rssMiB(pid);
    let errors = 0;
    const t0 = performance.now();
    await Promise.all(
      sessions.map(async (s) => {
        for (let i = 0; i < CALLS_PER_SESSION; i++) {
          try {
            await timed(s, GREET);
          } catch {
            errors++;
          }
        }
      }),
    );
    const burstS = (performance.now() - t0) / 1000;
    const rssAfter = rssMiB(pid);
    const rssDelta = (rssAfter - rssWarm) / rssWarm;

    // Throughput with 1, 4 and 16 clients while a 17th keeps calling the slow `spin` (stopped at 1 s each time).
    const extra = await Promise.all(Array.from({ length: 16 - SESSIONS }, (_, i) => httpConn(`t${i}`, json.srv, json.token)));
    closers.push(...extra.map((s) => () => s.close()));
    const pool = [...sessions, ...extra];
    const slow = await httpConn('slow', json.srv, json.token);
    closers.push(() => slow.close());
    let slowStop = false;
    let slowCalls = 0;
    const slowLoop = (async () => {
      while (!slowStop) {
        await slow.call('spin', {}).catch(() => undefined);
        slowCalls++;
      }
    })();
    const tputRows: string[] = [];
    for (const n of [1, 4, 16]) {
      const r = await throughput(pool.slice(0, n), THROUGHPUT_MS);
      tputRows.push(`| ${n} | ${r.perSecond.toFixed(0)} | ${r.errors} |`);
    }
    slowStop = true;
    await slowLoop;

    const met = Math.min(jsonRatio, nodeRatio) <= TARGET_RATIO && errors === 0 && Math.abs(rssDelta) <= RSS_TOLERANCE;
    return [
      '## HTTP: the same calls over stdio and Streamable HTTP; concurrent sessions',
      '',
      `Three real \`wassette serve\` children (stdio; \`--http\` with JSON responses, the default; \`--http\` with`,
      '`WASSETTE_HTTP_JSON_RESPONSES=0`, i.e. every response on an SSE stream of the SDK transport), each with the same',
      `two WAT components; one MCP SDK client each, bearer token on HTTP, keep-alive (Node fetch; the clients leave the
SDK transport's shared AbortSignal out of each fetch, see \`withoutSessionSignal\`). ${CALLS} calls per`,
      `(transport, case) after ${WARMUP} warm-up, interleaved call by call. Ratio = p50 / the same case's stdio p50.`,
      '',
      '| transport | case | p50 | p95 | p99 | p50 vs stdio |',
      '|---|---|---|---|---|---|',
      ...latencyRows,
      '',
      'SSE answers open with the resumability priming event (an event id, no data). @hono/node-server, which the SDK',
      'transport writes through, then finds one chunk ready and waits one timer tick (at least 1 ms) for a second before it',
      'sends the headers, so the SSE rows carry ~1 ms more than before resumability. JSON answers never touch the event store.',
      '',
      `The client's own share: a bare \`node:http\` server answering a fixed JSON-RPC body takes ${us(floor.fetch)} p50 per POST with`,
      `Node's global fetch and ${us(floor.http)} with \`node:http\` + a keep-alive agent (${FLOOR_CALLS} each, same machine, no MCP).`,
      '',
      `CPU per \`list_components\` call (${CPU_CALLS} back to back; server from /proc in 10 ms ticks, client = this process):`,
      '',
      '| transport | server CPU / call | client CPU / call |',
      '|---|---|---|',
      ...cpuRows,
      '',
      `Target: HTTP (JSON) p50 <= ${TARGET_RATIO}x stdio. Measured (worst case of the two cases): ${jsonRatio.toFixed(2)}x with the SDK client's`,
      `default fetch (${jsonRatio <= TARGET_RATIO ? 'met' : 'NOT met'}), ${nodeRatio.toFixed(2)}x with the node:http fetch (${nodeRatio <= TARGET_RATIO ? 'met' : 'NOT met'}).`,
      '',
      `${SESSIONS} concurrent HTTP sessions x ${CALLS_PER_SESSION} \`greet\` calls on the JSON server: ${errors} errors, ${burstS.toFixed(1)} s`,
      `(${((SESSIONS * CALLS_PER_SESSION) / burstS).toFixed(0)} calls/s); server RSS ${rssWarm.toFixed(1)} MiB after a warm-up round of 200 calls`,
      `per session, ${rssAfter.toFixed(1)} MiB after the run (${(rssDelta * 100).toFixed(1)}%; target within ${RSS_TOLERANCE * 100}%:`,
      `${Math.abs(rssDelta) <= RSS_TOLERANCE ? 'met' : 'NOT met'}).`,
      '',
      `Throughput of \`greet\` over HTTP for ${THROUGHPUT_MS / 1000} s per row, while another session keeps calling the slow \`spin\``,
      `(stopped by its 1 s limit each time; ${slowCalls} such calls during the rows):`,
      '',
      '| clients | calls/s | errors |',
      '|---|---|---|',
      ...tputRows,
      '',
      `All targets: ${met ? 'met' : 'NOT met'}.`,
      '',
    ].join('\n');
  } finally {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    for (const h of homes) h.cleanup();
  }
}

runStandalone(import.meta.url, run);
