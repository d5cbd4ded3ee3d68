// Benchmark: server memory with 10 loaded 12 MB JS components (fresh loads, then restored), what idle
// stopping gives back, and how long the first call to an idle-stopped instance takes. Target: < 350 MiB.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, fixture, startStdioSession, tempHome, type McpSession } from '../test/helpers/cli.js';
import { median, percentile } from './spine-calls.bench.js';
import { runStandalone } from './standalone.js';

const COUNT = 10;
const TARGET_MIB = 350;
const IDLE_MS = 3000;

/** The same JS component with a custom section naming `i`: another digest, so every load transpiles afresh. */
function variant(bytes: Uint8Array, i: number): Uint8Array {
  const name = new TextEncoder().encode('wassette-bench');
  const payload = new TextEncoder().encode(`variant ${i}`);
  const body = [name.length, ...name, ...payload];
  if (body.length > 127) throw new Error('custom section too long for a one-byte size');
  return new Uint8Array([...bytes, 0, body.length, ...body]);
}

function rssMiB(s: McpSession): number {
  const pid = s.pid?.();
  if (!pid) throw new Error('the server has no pid');
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error('no VmRSS in /proc status');
  return Number(m[1]) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (x: number) => `${x.toFixed(0)} MiB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function wordCount(s: McpSession, tool: string): Promise<number> {
  const t0 = performance.now();
  const r = await call(s, tool, { input: 'a b c' });
  if (r.isError || r.structuredContent?.result !== 3) throw new Error(`${tool} returned ${JSON.stringify(r)}`);
  return performance.now() - t0;
}

export async function run(): Promise<string> {
  const t = tempHome('wassette-bench-mem-');
  const bytes = readFileSync(fixture('text-tools'));
  const paths = Array.from({ length: COUNT }, (_, i) => {
    const p = join(t.home, `js-${String(i).padStart(2, '0')}.wasm`);
    writeFileSync(p, variant(bytes, i));
    return p;
  });
  const tools: string[] = [];
  const rows: string[] = [];
  try {
    // 1. Fresh loads (each one transpiles), idle stop off: every instance stays running.
    const loadMs: number[] = [];
    // Started as the installed `wassette` bin is (its sh line sets the mmap threshold, then execs node: same pid).
    let s = await startStdioSession({ home: t.home, env: { WASSETTE_IDLE_STOP_MS: '0' }, asProgram: true });
    try {
      await s.client.listTools();
      await sleep(500);
      rows.push(`| empty server | ${mib(rssMiB(s))} |`);
      for (const p of paths) {
        const t0 = performance.now();
        const r = await call(s, 'load_component', { path: p });
        loadMs.push(performance.now() - t0);
        const name = (r.structuredContent?.tools as string[] | undefined)?.find((n) => n.endsWith('word_count'));
        if (r.isError || !name) throw new Error(`loading ${p} failed: ${JSON.stringify(r)}`);
        // A name is final only once all are loaded (a shared base name gets a component prefix).
        await wordCount(s, name);
      }
      await sleep(1000);
      rows.push(`| ${COUNT} JS components after fresh loads, all running | ${mib(rssMiB(s))} |`);
    } finally {
      await s.close();
    }

    // 2. The same home restarted (transpile cache warm) with idle stop on.
    s = await startStdioSession({ home: t.home, env: { WASSETTE_IDLE_STOP_MS: String(IDLE_MS) }, asProgram: true });
    const restartMs: number[] = [];
    const hotMs: number[] = [];
    try {
      tools.push(...(await s.client.listTools()).tools.map((x) => x.name).filter((n) => n.endsWith('word_count')));
      if (tools.length !== COUNT) throw new Error(`expected ${COUNT} word_count tools after the restart, got ${tools.length}`);
      for (const tool of tools) await wordCount(s, tool);
      await sleep(500);
      rows.push(`| restarted server, ${COUNT} restored and called once, all running | ${mib(rssMiB(s))} |`);
      await sleep(IDLE_MS + 2000);
      rows.push(`| the same after ${IDLE_MS} ms without calls (idle-stopped) | ${mib(rssMiB(s))} |`);
      for (const tool of tools) {
        restartMs.push(await wordCount(s, tool));
        hotMs.push(await wordCount(s, tool));
      }
    } finally {
      await s.close();
    }
    const running = Number(/(\d+) MiB \|$/.exec(rows[1]!)?.[1]);
    return [
      '## Memory: server RSS with 10 JS components, idle stop, restart time',
      '',
      `Real \`wassette serve\` over stdio, started as the \`wassette\` bin is (\`/bin/sh dist/src/cli/main.js serve\`: the launcher`,
      `line sets MALLOC_MMAP_THRESHOLD_=1048576 and execs node, same pid); ${COUNT} variants of the 12 MB JS \`text-tools\` component`,
      '(a custom section makes each digest distinct, so every load transpiles), each called once after loading. RSS from /proc',
      'of the server process (its worker threads included; transpiling runs in a separate process, not counted). One run.',
      '',
      '| state | server RSS |',
      '|---|---|',
      ...rows,
      '',
      `Fresh load time (load_component, transpile included): median ${ms(median(loadMs))}, max ${ms(Math.max(...loadMs))}.`,
      `First call to an idle-stopped instance (restart from the transpile cache + call): p50 ${ms(median(restartMs))},`,
      `max ${ms(Math.max(...restartMs))}; the second call (still tiering up; the spare worker boots meanwhile): p50 ${(median(hotMs) * 1000).toFixed(0)} µs, p99 ${(percentile(hotMs, 99) * 1000).toFixed(0)} µs.`,
      '',
      `Target: ${COUNT} loaded JS components under ${TARGET_MIB} MiB server RSS. Measured (fresh loads, all running): ${mib(running)}, ${running < TARGET_MIB ? 'met' : 'NOT met'}.`,
      '',
    ].join('\n');
  } finally {
    t.cleanup();
  }
}

runStandalone(import.meta.url, run);
