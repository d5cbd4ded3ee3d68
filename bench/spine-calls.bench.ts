// Benchmark: round trip of a trivial component call through the real stdio server (`wassette serve`,
// SDK client) against a built-in tool round trip on the same connection. Targets: WAT <= 1.2x, JS <= 1.4x.
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { wassetteBackend } from '../src/mcp/backend.js';
import { openStore } from '../src/store/db.js';
import type { CallContext } from '../src/core/call-context.js';
import { openWassette, type Wassette } from '../src/core/wassette.js';
import { call, fixture, startStdioSession, tempHome, type McpSession } from '../test/helpers/cli.js';
import { runStandalone } from './standalone.js';

const CALLS = 1000;
const WARMUP = 300;
const TARGET_WAT = 1.2;
const TARGET_JS = 1.4;

/** Nearest-rank percentile of `xs` (p in 0..100). */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

interface Case {
  label: string;
  tool: string;
  args: Record<string, unknown>;
  check(r: Awaited<ReturnType<typeof call>>): boolean;
}

const BUILTIN: Case = { label: 'built-in `list_components`', tool: 'list_components', args: {}, check: (r) => Array.isArray(r.structuredContent?.components) };
const PING: Case = { label: 'component `ping` (WAT, -> u32)', tool: 'ping', args: {}, check: (r) => r.structuredContent?.result === 42 };
const GREET: Case = {
  label: 'component `greet` (WAT, string -> string)',
  tool: 'greet',
  args: { name: 'bench' },
  check: (r) => r.structuredContent?.result === 'hello, bench',
};
const WORDS: Case = {
  label: 'component `word-count` (12 MB JS, string -> u32)',
  tool: 'test_text_tools_text_word_count',
  args: { input: 'one two three' },
  check: (r) => r.structuredContent?.result === 3,
};

async function timedCall(s: McpSession, c: Case): Promise<number> {
  const t0 = performance.now();
  const r = await call(s, c.tool, c.args);
  const ms = performance.now() - t0;
  if (r.isError || !c.check(r)) throw new Error(`${c.tool} returned ${JSON.stringify(r)}`);
  return ms;
}

/** Interleaves the cases call by call so drift (GC, CPU frequency) hits all of them alike. */
async function measure(s: McpSession, cases: Case[], n: number): Promise<Map<Case, number[]>> {
  const samples = new Map<Case, number[]>(cases.map((c) => [c, []]));
  for (let i = 0; i < n; i++) for (const c of cases) samples.get(c)!.push(await timedCall(s, c));
  return samples;
}

/** p50 of `n` sequential runs of `f` after a warm-up. */
async function p50Of(f: () => Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await f();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

/** Where the server's share goes: the same calls on an in-process facade, no transport. */
async function serverSide(): Promise<string[]> {
  const t = tempHome('wassette-bench-');
  const w: Wassette = await openWassette(loadConfig({ WASSETTE_HOME: t.home }), silentLogger, { restore: false });
  try {
    await w.load(fixture('spin'));
    const ctx: CallContext = { log: () => undefined };
    const n = CALLS * 4;
    const backend = wassetteBackend(w);
    const builtin = await p50Of(() => backend.callTool('list_components', {}, ctx), n);
    const ping = await p50Of(() => w.callTool('ping', {}, ctx), n);
    const store = openStore(t.home);
    const audit = await p50Of(async () => store.audit.append({ componentId: 'spin', tool: 'ping', outcome: 'ok', durationMs: 0 }), n);
    store.close();
    return [
      `| in-process \`list_components\` | ${us(builtin)} |`,
      `| in-process \`ping\` (validate, worker round trip, convert, audit) | ${us(ping)} |`,
      `| of which: one audit-log insert (SQLite, WAL) | ${us(audit)} |`,
    ];
  } finally {
    await w.close();
    t.cleanup();
  }
}

const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

export async function run(): Promise<string> {
  const t = tempHome('wassette-bench-');
  const s = await startStdioSession({ home: t.home });
  try {
    for (const name of ['spin', 'all-types', 'text-tools']) {
      const r = await call(s, 'load_component', { path: fixture(name) });
      if (r.isError) throw new Error(`loading ${name} failed: ${JSON.stringify(r)}`);
    }
    // A real client lists tools first; the SDK then also validates every result against outputSchema.
    await s.client.listTools();
    const cases = [BUILTIN, PING, GREET, WORDS];
    await measure(s, cases, WARMUP);
    const samples = await measure(s, cases, CALLS);
    const base = samples.get(BUILTIN)!;
    const rows = cases.map((c) => {
      const xs = samples.get(c)!;
      const r50 = median(xs) / median(base);
      const r99 = percentile(xs, 99) / percentile(base, 99);
      return `| ${c.label} | ${us(median(xs))} | ${us(percentile(xs, 95))} | ${us(percentile(xs, 99))} | ${us(Math.max(...xs))} | ${r50.toFixed(2)}x | ${r99.toFixed(2)}x |`;
    });
    const ratio = (c: Case): number => median(samples.get(c)!) / median(base);
    const verdict = (r: number, target: number): string => `${r.toFixed(2)}x, ${r <= target ? 'met' : 'NOT met'}`;
    const inProcess = await serverSide();
    return [
      '## Spine: component call vs built-in call over stdio',
      '',
      `Real \`wassette serve\` child process, MCP SDK client over stdio, ${CALLS} calls per case after ${WARMUP} warm-up calls,`,
      'cases interleaved call by call. Round trip = client `callTool` until the result is parsed (and, for component tools,',
      'validated against outputSchema by the SDK client). Components run in a worker thread; built-ins on the main thread.',
      '',
      '| case | p50 | p95 | p99 | max | p50 ratio | p99 ratio |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Targets: component p50 <= ${TARGET_WAT}x the built-in p50 for a WAT component, <= ${TARGET_JS}x for a JS one.`,
      `Measured: WAT \`ping\` ${verdict(ratio(PING), TARGET_WAT)}; JS \`word-count\` ${verdict(ratio(WORDS), TARGET_JS)}.`,
      '',
      `Server side alone (same calls on an in-process facade, p50 of ${CALLS * 4}):`,
      '',
      '| what | p50 |',
      '|---|---|',
      ...inProcess,
      '',
    ].join('\n');
  } finally {
    await s.close();
    t.cleanup();
  }
}

runStandalone(import.meta.url, run);
