// A hostile or broken MCP client over stdio, speaking raw JSON-RPC (no SDK to keep it polite): it cancels one call
// twice, cancels calls that never existed or already finished, and floods the server with pipelined calls. Each gets
// bounded work: every request is answered (a result or an error), excess calls to one component are turned away at
// once, the server's memory stays bounded, and a polite request afterwards is answered promptly.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, childEnv, fixture, ROOT, tempHome } from '../helpers/cli.js';

type Message = { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string };

class RawClient {
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #waiting = new Map<number, (m: Message) => void>();
  #buffer = '';
  #next = 1;
  stderr = '';

  constructor(home: string, env: Record<string, string>) {
    this.#proc = spawn(process.execPath, [CLI, 'serve'], { env: childEnv(home, env), cwd: ROOT });
    this.#proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.#proc.stdout.on('data', (d: Buffer) => {
      this.#buffer += d.toString();
      let nl = this.#buffer.indexOf('\n');
      while (nl >= 0) {
        const line = this.#buffer.slice(0, nl);
        this.#buffer = this.#buffer.slice(nl + 1);
        const m = JSON.parse(line) as Message;
        if (m.id !== undefined && m.method === undefined) this.#waiting.get(m.id)?.(m);
        nl = this.#buffer.indexOf('\n');
      }
    });
  }

  get pid(): number {
    return this.#proc.pid ?? -1;
  }

  send(message: Record<string, unknown>): void {
    this.#proc.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  }

  /** Sends a request and returns its id and a promise of the answer. */
  request(method: string, params: Record<string, unknown> = {}): { id: number; answer: Promise<Message> } {
    const id = this.#next++;
    const answer = new Promise<Message>((r) => this.#waiting.set(id, r));
    this.send({ id, method, params });
    return { id, answer };
  }

  callTool(name: string, args: Record<string, unknown> = {}) {
    return this.request('tools/call', { name, arguments: args });
  }

  cancel(requestId: number): void {
    this.send({ method: 'notifications/cancelled', params: { requestId, reason: 'hostile client' } });
  }

  async initialize(): Promise<void> {
    const init = this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } });
    expect((await init.answer).result).toBeDefined();
    this.send({ method: 'notifications/initialized' });
  }

  close(): void {
    this.#proc.kill();
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const t = tempHome('wassette-hostile-');
let c: RawClient;

beforeAll(async () => {
  c = new RawClient(t.home, { WASSETTE_CALL_TIMEOUT_MS: '60000' });
  await c.initialize();
  const loaded = await c.callTool('load_component', { path: fixture('spin') }).answer;
  expect(loaded.result?.isError, JSON.stringify(loaded)).toBeFalsy();
}, 60_000);

afterAll(() => {
  c?.close();
  t.cleanup();
});

describe('a hostile client', () => {
  it('cancels a running call twice, and cancels ids that never existed or already finished: the server keeps serving', async () => {
    const done = c.callTool('ping');
    expect((await done.answer).result?.structuredContent).toEqual({ result: 42 });
    c.cancel(done.id);
    c.cancel(999_999);
    const spinning = c.callTool('spin');
    await new Promise((r) => setTimeout(r, 1000));
    c.cancel(spinning.id);
    c.cancel(spinning.id);
    const started = Date.now();
    const next = await c.callTool('ping').answer;
    expect(next.result?.structuredContent).toEqual({ result: 42 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await c.request('tools/list').answer).result?.tools).toBeDefined();
  }, 60_000);

  it('floods 2,000 pipelined calls: each is answered, the excess is turned away at once, memory stays bounded', async () => {
    const before = rssMiB(c.pid);
    const flood = Array.from({ length: 2000 }, (_, i) => (i % 10 === 9 ? c.request('tools/list') : c.callTool('ping')));
    const answers = await Promise.all(flood.map((f) => f.answer));
    const ok = answers.filter((a) => a.result && !a.result.isError).length;
    const refused = answers.filter((a) => a.error || a.result?.isError);
    expect(ok + refused.length).toBe(2000);
    expect(ok).toBeGreaterThanOrEqual(200); // every tools/list, and the pings the component's queue took
    for (const r of refused) expect(JSON.stringify(r)).toMatch(/busy|waiting|queue/i);
    const after = rssMiB(c.pid);
    console.info(`server RSS before / after a 2,000-request flood: ${before.toFixed(0)} / ${after.toFixed(0)} MiB; ${refused.length} turned away`);
    expect(after - before).toBeLessThan(200);
    const started = Date.now();
    expect((await c.callTool('ping').answer).result?.structuredContent).toEqual({ result: 42 });
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 120_000);
});
