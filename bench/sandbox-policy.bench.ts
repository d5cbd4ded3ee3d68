// Benchmark: cost of the sandbox policy on a trivial call through the facade, and how fast a runaway call is stopped.
// Run: npx tsx bench/sandbox-policy.bench.ts (needs fixtures/build; `npm run fixtures` builds them).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/log.js';
import type { Grant } from '../src/sandbox/grants.js';
import type { CallContext } from '../src/core/call-context.js';
import { openWassette, type Wassette } from '../src/core/wassette.js';
import { runStandalone } from './standalone.js';

const SPIN = resolve(import.meta.dirname, '..', 'fixtures', 'build', 'spin.wasm');
const ID = 'spin';
const CTX: CallContext = { log: () => undefined };
const CALLS = 2000;

function config(home: string, overrides: Partial<Config> = {}): Readonly<Config> {
  return loadConfig({ WASSETTE_HOME: home, WASSETTE_APPROVAL: 'auto', WASSETTE_LOG: 'error' }, overrides);
}

async function ping(w: Wassette): Promise<void> {
  const r = await w.callTool('ping', {}, CTX);
  if (!r || r.isError) throw new Error(`ping failed: ${JSON.stringify(r)}`);
}

interface Stats {
  meanUs: number;
  p50Us: number;
  p99Us: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 1000;
  return { meanUs: (samples.reduce((a, b) => a + b, 0) / samples.length) * 1000, p50Us: at(0.5), p99Us: at(0.99) };
}

/** Warms up, then takes the median-mean of three blocks, so one GC pause or JIT tier-up does not decide. */
async function measure(w: Wassette, before?: () => void): Promise<Stats> {
  for (let i = 0; i < 1000; i++) {
    before?.();
    await ping(w);
  }
  const blocks: Stats[] = [];
  for (let b = 0; b < 3; b++) {
    const samples: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      before?.();
      const t0 = performance.now();
      await ping(w);
      samples.push(performance.now() - t0);
    }
    blocks.push(stats(samples));
  }
  return blocks.sort((a, b) => a.p50Us - b.p50Us)[1]!;
}

function tenGrants(dataDir: string): Grant[] {
  const dirs = ['a', 'b', 'c'].map((d) => join(dataDir, d));
  for (const d of dirs) mkdirSync(d, { recursive: true });
  return [
    ...dirs.map((d): Grant => ({ kind: 'storage', uri: `fs://${d}`, access: ['read', 'write'] })),
    ...['api.example.com', '*.example.org', 'localhost:8080', '10.0.0.1'].map((host): Grant => ({ kind: 'network', host })),
    ...['API_KEY', 'REGION', 'MODE'].map((key): Grant => ({ kind: 'environment', key })),
  ];
}

async function policyOverhead(home: string, dataDir: string): Promise<string[]> {
  const w = await openWassette(config(home), createLogger('error'));
  try {
    await w.load(SPIN);
    const empty = await measure(w);
    for (const g of tenGrants(dataDir)) w.permissions.grant(ID, g.kind, g);
    w.secrets.set(ID, { API_KEY: 'bench-secret' });
    const cached = await measure(w);
    const rebuilt = await measure(w, () => w.refreshSandboxes(ID));
    const specUs = (() => {
      const n = 2000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        w.refreshSandboxes(ID);
        w.specFor(ID);
      }
      return ((performance.now() - t0) / n) * 1000;
    })();
    const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;
    const row = (name: string, s: Stats, vs?: Stats) =>
      `| ${name} | ${s.p50Us.toFixed(1)} | ${s.meanUs.toFixed(1)} | ${s.p99Us.toFixed(1)} | ${vs ? pct(s.p50Us, vs.p50Us) : '-'} |`;
    return [
      `### Trivial call (WAT \`ping\`) through the facade: median of 3 blocks of ${CALLS} calls after 1000 warm-up calls`,
      '',
      'Each call: argument validation, spec lookup, worker round trip, result conversion and an audit row.',
      '',
      '| policy | p50 µs | mean µs | p99 µs | p50 vs empty |',
      '|---|---|---|---|---|',
      row('empty (deny all)', empty),
      row('10 grants + 1 secret, spec cached', cached, empty),
      row('10 grants + 1 secret, spec rebuilt every call', rebuilt, empty),
      '',
      `Rebuilding the spec alone (grants from SQLite, secrets file, toSandboxSpec): ${specUs.toFixed(1)} µs; ` +
        `rebuild vs cached (p50): ${pct(rebuilt.p50Us, cached.p50Us)}. ` +
        `Means and p99 move with other load on the machine (2 cores); p50 is the comparable figure.`,
    ];
  } finally {
    await w.close();
  }
}

async function stopLatency(home: string): Promise<string[]> {
  const lines = [
    '### Runaway stop latency (`spin`): time from the limit to the error result, 3 runs each',
    '',
    '| limit ms | call took ms (runs) | over the limit ms (max) | next call after the stop ms |',
    '|---|---|---|---|',
  ];
  for (const limit of [500, 1000, 2000]) {
    const w = await openWassette(config(home, { callTimeoutMs: limit }), createLogger('error'));
    try {
      await ping(w); // start the worker, so the numbers are about stopping, not starting
      const took: number[] = [];
      const recovery: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const r = await w.callTool('spin', {}, CTX);
        took.push(performance.now() - t0);
        if (!r?.isError) throw new Error('spin was not stopped');
        const t1 = performance.now();
        await ping(w);
        recovery.push(performance.now() - t1);
      }
      const over = Math.max(...took.map((x) => x - limit));
      lines.push(`| ${limit} | ${took.map((x) => x.toFixed(0)).join(', ')} | ${over.toFixed(1)} | ${recovery.map((x) => x.toFixed(1)).join(', ')} |`);
    } finally {
      await w.close();
    }
  }
  return lines;
}

export async function run(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'wassette-bench-sandbox-'));
  const home = join(root, 'home');
  try {
    const overhead = await policyOverhead(home, join(root, 'data'));
    const stop = await stopLatency(home);
    return ['## Sandbox policy', '', ...overhead, '', ...stop, ''].join('\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

runStandalone(import.meta.url, run);
